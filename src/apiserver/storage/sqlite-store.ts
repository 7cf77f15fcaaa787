// A revisioned key-value store on SQLite, after k3s's kine: one insert-only log where the row id is
// the revision (= resourceVersion), plus a `current` index of the live revision of each key. The
// writes of one turn of the event loop share one transaction (group commit), committed once the
// turn is over: a commit costs more than the writes in it (the WAL frames of the same few pages),
// and a burst (pods created by 50 clients, 5,000 nodes' lease renewals, a scheduler's bindings
// and events) would pay it for every write. Each write is atomic on its own (a savepoint), seen at
// once by every read (one connection) and by in-process watchers (they die with the process), and
// is answered only after its commit (durable()). Watchers outside the process (HTTP watches) get
// it once committed: none ever sees a revision a crash could take back and give to another write.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, fdatasync, openSync } from 'node:fs';
import type { KubeObject } from '../../api/types.js';
import type { TransformerFor } from './encryption-config.js';
import { WatchBroadcaster, type StoreEvent, type StoreEventType, type WatchIndex, type WatchSubscription } from './watch-broadcaster.js';

export class StoreError extends Error {
  constructor(
    readonly code: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Compacted',
    message: string,
  ) {
    super(message);
  }
}

export interface StoredRow {
  key: string;
  rev: number;
  value: string;
  /** Stored with an encryption provider or key that no longer writes: the next update rewrites it. */
  stale?: boolean;
}

/**
 * When a write reaches the disk. SQLite's `synchronous` in WAL mode: NORMAL loses no answered write
 * when the process dies, but the last commits may be lost with the machine (power, kernel crash); FULL syncs
 * the WAL inside every commit, one write at a time. BATCHED commits as NORMAL does, and `durable()`
 * syncs the WAL once for every write committed before it: a write answered after `durable()` is on
 * disk, as with FULL, and concurrent writes share the sync.
 */
export type Synchronous = 'NORMAL' | 'FULL' | 'BATCHED';

export interface StoreOptions {
  /** How many buffered bytes a slow watcher may accumulate before it is closed. */
  maxWatcherBacklogBytes?: number;
  readonly?: boolean;
  /** Encryption at rest: the transformer of each key's values (none: stored as JSON). */
  transformerFor?: TransformerFor;
  synchronous?: Synchronous;
}

/** Creates a file only its owner may read (SQLite gives its -wal and -shm the database's mode), or tightens an existing one. */
export function makePrivate(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

const TYPE_CODE: Record<StoreEventType, number> = { ADDED: 0, MODIFIED: 1, DELETED: 2 };
const TYPE_NAME: StoreEventType[] = ['ADDED', 'MODIFIED', 'DELETED'];

/** The first key after every key that starts with prefix: lets a prefix scan use the primary key range. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

export interface WatchOptions {
  /** Only committed writes: replayed up to the last commit, then delivered as each group commits. */
  committedOnly?: boolean;
  /** Only writes whose object has (or had just before) this field value are offered live. */
  index?: WatchIndex;
}

export class SqliteStore {
  readonly db: Database.Database;
  /** In-process watchers: every write at once. */
  readonly broadcaster = new WatchBroadcaster();
  /** Watchers outside the process: every write once committed. */
  private readonly committedBroadcaster = new WatchBroadcaster();
  private rev: number;
  private compactedRev: number;
  private readonly stmts;
  private readonly writeTx;

  private readonly transformerFor: TransformerFor;
  private readonly synchronous: Synchronous;
  private walFd: number | undefined;
  /** The WAL sync running now, and the one that will run after it for writes it does not cover. */
  private syncRunning: Promise<void> | undefined;
  private syncNext: Promise<void> | undefined;
  /** The open group transaction's commit, settled once it is done; undefined when none is open. */
  private group: { committed: Promise<void>; durable?: Promise<void>; resolve(): void; reject(err: Error): void; events: StoreEvent[] } | undefined;
  /** The last revision committed: watches replay and deliver nothing above it. */
  private committedRev: number;

  constructor(readonly file: string, opts: StoreOptions = {}) {
    if (!opts.readonly) for (const f of [file, `${file}-wal`, `${file}-shm`]) if (f === file || existsSync(f)) makePrivate(f);
    this.transformerFor = opts.transformerFor ?? (() => undefined);
    this.synchronous = opts.synchronous ?? 'NORMAL';
    this.db = new Database(file, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly });
    if (opts.readonly) {
      const tables = this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('log', 'current', 'meta')`).all();
      if (tables.length !== 3) throw new Error('it has no kctl store tables (log, current, meta)');
    } else this.initialise(this.synchronous === 'FULL' ? 'FULL' : 'NORMAL');
    const seq = this.db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'log'`).get() as { seq: number } | undefined;
    const maxRev = (this.db.prepare('SELECT MAX(rev) AS m FROM log').get() as { m: number | null }).m ?? 0;
    this.rev = Math.max(seq?.seq ?? 0, maxRev, this.meta('floor_rev'));
    this.committedRev = this.rev;
    this.compactedRev = this.meta('compacted_rev');
    this.stmts = {
      get: this.db.prepare('SELECT c.rev AS rev, l.value AS value FROM current c JOIN log l ON l.rev = c.rev WHERE c.key = ?'),
      currentRev: this.db.prepare('SELECT rev FROM current WHERE key = ?').pluck(),
      list: this.db.prepare(
        'SELECT c.key AS key, c.rev AS rev, l.value AS value FROM current c JOIN log l ON l.rev = c.rev WHERE c.key > ? AND c.key < ? ORDER BY c.key LIMIT ?',
      ),
      count: this.db.prepare('SELECT COUNT(*) FROM current WHERE key > ? AND key < ?').pluck(),
      revisions: this.db.prepare('SELECT key, rev FROM current WHERE key > ? AND key < ? ORDER BY key'),
      valueAt: this.db.prepare('SELECT value FROM log WHERE rev = ?').pluck(),
      insertLog: this.db.prepare('INSERT INTO log (rev, key, type, prev_rev, value) VALUES (?, ?, ?, ?, ?)'),
      upsertCurrent: this.db.prepare('INSERT INTO current (key, rev) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET rev = excluded.rev'),
      deleteCurrent: this.db.prepare('DELETE FROM current WHERE key = ?'),
      since: this.db.prepare(
        `SELECT l.rev AS rev, l.key AS key, l.type AS type, l.value AS value, p.value AS prev
         FROM log l LEFT JOIN log p ON p.rev = l.prev_rev
         WHERE l.rev > ? AND l.key >= ? AND l.key < ? ORDER BY l.rev`,
      ),
      // The state at a past revision: each key's last row at or before it, unless that was a deletion.
      listAt: this.db.prepare(
        `SELECT l.key AS key, l.rev AS rev, l.value AS value
         FROM (SELECT MAX(rev) AS rev FROM log WHERE key > ? AND key < ? AND rev <= ? GROUP BY key) m
         JOIN log l ON l.rev = m.rev
         WHERE l.type != ${TYPE_CODE.DELETED} ORDER BY l.key LIMIT ?`,
      ),
      changedSince: this.db.prepare('SELECT 1 FROM log WHERE rev > ? AND key >= ? AND key < ? LIMIT 1').pluck(),
      // Compaction keeps what a read at the compaction revision needs, as etcd does: the rows that a
      // later row at or below it supersedes go first, then the deletions' tombstones.
      compactSuperseded: this.db.prepare(
        `DELETE FROM log WHERE rev IN (
           SELECT n.prev_rev FROM log n JOIN log p ON p.rev = n.prev_rev WHERE n.rev <= ? LIMIT ?)`,
      ),
      compactTombstones: this.db.prepare(`DELETE FROM log WHERE rev IN (SELECT rev FROM log WHERE rev <= ? AND type = ${TYPE_CODE.DELETED} LIMIT ?)`),
      setMeta: this.db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'),
      begin: this.db.prepare('BEGIN'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      maxRev: this.db.prepare('SELECT MAX(rev) FROM log').pluck(),
    };
    this.writeTx = this.db.transaction(
      (key: string, type: number, prevRev: number | null, value: string, rev: number, isDelete: boolean) => {
        this.stmts.insertLog.run(rev, key, type, prevRev, value);
        if (isDelete) this.stmts.deleteCurrent.run(key);
        else this.stmts.upsertCurrent.run(key, rev);
      },
    );
  }

  private initialise(synchronous: 'NORMAL' | 'FULL'): void {
    // auto_vacuum must be chosen before the first table exists; it lets compaction give pages back.
    this.db.pragma('auto_vacuum = INCREMENTAL');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.pragma('busy_timeout = 5000');
    // Deleted rows (compacted history: older, perhaps unencrypted, revisions) are zeroed where that
    // costs no extra I/O; compaction's vacuum gives the freed pages back.
    this.db.pragma('secure_delete = FAST');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS log (
        rev INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        type INTEGER NOT NULL,
        prev_rev INTEGER,
        value TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS current (key TEXT PRIMARY KEY, rev INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    `);
  }

  private meta(name: string): number {
    const row = this.db.prepare('SELECT value FROM meta WHERE name = ?').get(name) as { value: number } | undefined;
    return row?.value ?? 0;
  }

  get currentRevision(): number {
    return this.rev;
  }

  get compactedRevision(): number {
    return this.compactedRev;
  }

  /** A value as it was written: decrypted when it was stored encrypted. */
  private read(key: string, stored: string): { value: string; stale?: boolean } {
    const transformer = this.transformerFor(key);
    if (transformer) return transformer.fromStorage(key, stored);
    if (stored.startsWith('k8s:enc:')) throw new Error(`${key} is stored encrypted, but no encryption provider is configured for it (--encryption-provider-config)`);
    return { value: stored };
  }

  get(key: string): StoredRow | undefined {
    const row = this.stmts.get.get(key) as { rev: number; value: string } | undefined;
    return row && { key, rev: row.rev, ...this.read(key, row.value) };
  }

  /** The live revision of key (undefined: none), without reading its value. */
  revisionOf(key: string): number | undefined {
    return this.stmts.currentRev.get(key) as number | undefined;
  }

  /** Live objects whose key starts with prefix, in key order, after `afterKey` (for paging). */
  list(prefix: string, opts: { afterKey?: string; limit?: number } = {}): StoredRow[] {
    const from = opts.afterKey && opts.afterKey >= prefix ? opts.afterKey : prefix;
    // `key > from` would skip the prefix itself as a key: no stored key equals a bare prefix (they end in '/').
    const rows = this.stmts.list.all(from, prefixEnd(prefix), opts.limit ?? -1) as StoredRow[];
    for (const row of rows) Object.assign(row, this.read(row.key, row.value));
    return rows;
  }

  /** Which revision each live key under prefix is at, in key order: a list's snapshot, without the values. */
  revisions(prefix: string): { key: string; rev: number }[] {
    return this.stmts.revisions.all(prefix, prefixEnd(prefix)) as { key: string; rev: number }[];
  }

  /** The value a key had at a revision revisions() gave; undefined once compaction has dropped it. */
  valueAt(key: string, rev: number): string | undefined {
    const stored = this.stmts.valueAt.get(rev) as string | undefined;
    return stored === undefined ? undefined : this.read(key, stored).value;
  }

  count(prefix: string, afterKey?: string): number {
    return this.stmts.count.get(afterKey && afterKey >= prefix ? afterKey : prefix, prefixEnd(prefix)) as number;
  }

  /**
   * The objects under prefix as they were at revision rev (from the kept history), in key order,
   * after `afterKey`. A revision below the compaction point is gone: Compacted.
   */
  listAt(prefix: string, rev: number, opts: { afterKey?: string; limit?: number } = {}): StoredRow[] {
    if (rev < this.compactedRev) throw new StoreError('Compacted', `revision ${rev} is compacted (${this.compactedRev})`);
    const from = opts.afterKey && opts.afterKey >= prefix ? opts.afterKey : prefix;
    const rows = this.stmts.listAt.all(from, prefixEnd(prefix), rev, opts.limit ?? -1) as StoredRow[];
    for (const row of rows) Object.assign(row, this.read(row.key, row.value));
    return rows;
  }

  /** Whether anything under prefix was written after revision rev (the recent log is short: a cheap look). */
  changedSince(prefix: string, rev: number): boolean {
    return this.stmts.changedSince.get(rev, prefix, prefixEnd(prefix)) !== undefined;
  }

  /** Stores obj under key at a new revision, written into obj.metadata.resourceVersion. */
  create(key: string, obj: KubeObject): KubeObject {
    if (this.stmts.currentRev.get(key) !== undefined) throw new StoreError('AlreadyExists', `${key} already exists`);
    return this.write(key, 'ADDED', null, obj, undefined);
  }

  /** Replaces key's object; with expectedRev, only if it is still the live revision (compare-and-swap). */
  update(key: string, obj: KubeObject, expectedRev?: number): KubeObject {
    const cur = this.requireCurrent(key, expectedRev);
    return this.write(key, 'MODIFIED', cur.rev, obj, cur.value);
  }

  /** Removes key. The DELETED event carries the last object, at the deletion's revision. */
  delete(key: string, expectedRev?: number): KubeObject {
    const cur = this.requireCurrent(key, expectedRev);
    const last = JSON.parse(cur.value) as KubeObject;
    return this.write(key, 'DELETED', cur.rev, last, cur.value);
  }

  private requireCurrent(key: string, expectedRev: number | undefined): StoredRow {
    const cur = this.get(key);
    if (!cur) throw new StoreError('NotFound', `${key} not found`);
    if (expectedRev !== undefined && cur.rev !== expectedRev) {
      throw new StoreError('Conflict', 'the object has been modified; please apply your changes to the latest version and try again');
    }
    return cur;
  }

  private write(key: string, type: StoreEventType, prevRev: number | null, obj: KubeObject, prevValue: string | undefined): KubeObject {
    const rev = this.rev + 1;
    obj.metadata.resourceVersion = String(rev);
    const value = JSON.stringify(obj);
    const transformer = this.transformerFor(key);
    this.joinGroup();
    // Inside the group, better-sqlite3 makes this a savepoint: a failed write leaves the others.
    this.writeTx(key, TYPE_CODE[type], prevRev, transformer ? transformer.toStorage(key, value) : value, rev, type === 'DELETED');
    this.rev = rev;
    const event: StoreEvent = { type, key, rev, value, prevValue, object: obj };
    this.broadcaster.publish(event);
    this.group!.events.push(event);
    return obj;
  }

  /** Opens the group transaction of this turn of the event loop, if it is not open yet. */
  private joinGroup(): void {
    if (this.group) return;
    this.stmts.begin.run();
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const committed = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    // Nobody may be waiting (in-process writers do not): a failure is handled in commitGroup.
    committed.catch(() => {});
    this.group = { committed, resolve, reject, events: [] };
    setImmediate(() => this.commitGroup());
  }

  /**
   * Commits the open group transaction now. Should the commit fail (disk full, I/O error), its
   * writes are undone, the revision goes back to the last committed one, and every watcher is
   * closed so it lists again what is really stored; whoever waits for these writes is failed.
   */
  commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    try {
      this.stmts.commit.run();
    } catch (err) {
      if (this.db.inTransaction) this.stmts.rollback.run();
      this.rev = Math.max((this.stmts.maxRev.get() as number | null) ?? 0, this.meta('floor_rev'));
      this.committedRev = this.rev;
      // Reads and in-process watchers may have seen the undone writes: every watcher lists again.
      const reason = `the store could not commit: ${(err as Error).message}`;
      this.broadcaster.closeAll(reason);
      this.committedBroadcaster.closeAll(reason);
      group.reject(err as Error);
      return;
    }
    this.committedRev = this.rev;
    for (const e of group.events) this.committedBroadcaster.publish(e);
    group.resolve();
  }

  /**
   * Watches keys under prefix from revision fromRev (exclusive): replays the log after it, then
   * delivers live events. Replay and subscription happen in one synchronous step, so no event
   * falls between them. A revision below the compaction point cannot be replayed. Watchers outside
   * the process ask for committedOnly.
   */
  watch(
    prefix: string,
    fromRev: number,
    onEvent: (e: StoreEvent) => void,
    onClose: (reason: string) => void,
    opts: WatchOptions = {},
  ): WatchSubscription {
    if (fromRev < this.compactedRev) {
      throw new StoreError('Compacted', `too old resource version: ${fromRev} (${this.compactedRev})`);
    }
    // A committed-only watcher gets the writes of this turn not committed yet when they are.
    const replayTo = opts.committedOnly ? this.committedRev : this.rev;
    if (fromRev < replayTo) {
      for (const row of this.stmts.since.iterate(fromRev, prefix, prefixEnd(prefix)) as Iterable<{
        rev: number;
        key: string;
        type: number;
        value: string;
        prev: string | null;
      }>) {
        if (row.rev > replayTo) break;
        const value = this.read(row.key, row.value).value;
        const prevValue = row.prev === null ? undefined : this.read(row.key, row.prev).value;
        onEvent({ type: TYPE_NAME[row.type], key: row.key, rev: row.rev, value, prevValue });
      }
    }
    // A watch from a revision not reached (or not committed) yet starts after it.
    const deliver = fromRev >= replayTo ? (e: StoreEvent) => e.rev > fromRev && onEvent(e) : onEvent;
    return (opts.committedOnly ? this.committedBroadcaster : this.broadcaster).subscribe(prefix, deliver, onClose, opts.index);
  }

  /**
   * Drops history at or below rev, keeping each key's last revision at or below it (so the state at
   * rev can still be read, as etcd keeps it) unless that was a deletion, in small transactions so
   * writers are never held up for long, then gives the freed pages back to the file system.
   */
  compact(rev: number, batch = 2000): number {
    // Vacuum and checkpoint run outside any transaction.
    this.commitGroup();
    const upTo = Math.min(rev, this.rev);
    if (upTo <= this.compactedRev) return 0;
    let removed = 0;
    for (const stmt of [this.stmts.compactSuperseded, this.stmts.compactTombstones]) {
      for (;;) {
        const n = stmt.run(upTo, batch).changes;
        removed += n;
        if (n < batch) break;
      }
    }
    this.compactedRev = upTo;
    this.stmts.setMeta.run('compacted_rev', upTo);
    this.reclaimSpace();
    return removed;
  }

  private reclaimSpace(): void {
    this.db.pragma('incremental_vacuum');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /**
   * Resolves once every write made before the call is committed and on disk (BATCHED: one fdatasync of the
   * WAL, shared by all writes that wait for it; the other modes: at once, FULL having synced in the
   * commit). Answer a write after this, and an acknowledged write survives power loss.
   */
  durable(): Promise<void> {
    // Writes of this turn are answered once their group has committed (and synced, in one go).
    if (this.group) return (this.group.durable ??= this.group.committed.then(() => this.synced()));
    return this.synced();
  }

  private synced(): Promise<void> {
    if (this.synchronous !== 'BATCHED') return Promise.resolve();
    // A sync already running may have started before this caller's commit: wait for the next one.
    if (this.syncNext) return this.syncNext;
    if (!this.syncRunning) return this.startSync();
    this.syncNext = this.syncRunning.then(() => {
      this.syncNext = undefined;
      return this.startSync();
    });
    return this.syncNext;
  }

  private startSync(): Promise<void> {
    // SQLite makes the WAL when the store opens and keeps it (checkpoints truncate it) until close.
    this.walFd ??= openSync(`${this.file}-wal`, 'r');
    const fd = this.walFd;
    this.syncRunning = new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve()))).finally(() => {
      this.syncRunning = undefined;
    });
    return this.syncRunning;
  }

  /** Online copy of the whole store (SQLite's backup API), consistent even while writes go on. */
  async backup(file: string): Promise<void> {
    this.commitGroup();
    makePrivate(file);
    await this.db.backup(file);
  }

  /**
   * After a restore, revisions must not go backwards for clients that saw the newer store, and no
   * watch begun before it may resume as if nothing happened: the store continues at `floor`, which
   * the caller puts above every revision either store handed out, and everything below it counts as
   * compacted, so a watch from any earlier revision (even one fully caught up) gets 410 and re-lists.
   */
  startAfterRestore(floor: number): void {
    this.commitGroup();
    this.rev = Math.max(this.rev, floor);
    this.committedRev = this.rev;
    this.compactedRev = this.rev;
    this.stmts.setMeta.run('floor_rev', this.rev);
    this.stmts.setMeta.run('compacted_rev', this.rev);
  }

  close(): void {
    this.commitGroup();
    this.broadcaster.closeAll('store closed');
    this.committedBroadcaster.closeAll('store closed');
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.db.close();
  }
}
