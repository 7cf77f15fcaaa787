// A set of field paths as a trie, the way structured-merge-diff keeps a manager's fields: at each
// level the elements that are members themselves and the elements with members below them. One
// element may be both (`.` in fieldsV1: a list item or map owned as a whole and field by field).
import { compareElements, parseElement, serializeElement, type Path, type PathElement } from './path.js';

interface Child {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, Child>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: Path): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.child(path[i]);
    const last = path[path.length - 1];
    node.members.set(serializeElement(last), last);
  }

  addMember(pe: PathElement): void {
    this.members.set(serializeElement(pe), pe);
  }

  /** The subset below `pe`, made if missing. */
  child(pe: PathElement): FieldSet {
    const id = serializeElement(pe);
    let c = this.children.get(id);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.children.set(id, c);
    }
    return c.set;
  }

  /** The subset below the element with this id, if any. */
  childById(id: string): FieldSet | undefined {
    return this.children.get(id)?.set;
  }

  hasMemberId(id: string): boolean {
    return this.members.has(id);
  }

  has(path: Path): boolean {
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.childById(serializeElement(path[i]));
    return !!node && path.length > 0 && node.members.has(serializeElement(path[path.length - 1]));
  }

  empty(): boolean {
    if (this.members.size) return false;
    for (const c of this.children.values()) if (!c.set.empty()) return false;
    return true;
  }

  union(other: FieldSet): FieldSet {
    const out = this.copy();
    out.addAll(other);
    return out;
  }

  private addAll(other: FieldSet): void {
    for (const [id, pe] of other.members) this.members.set(id, pe);
    for (const [id, c] of other.children) {
      const mine = this.children.get(id);
      if (mine) mine.set.addAll(c.set);
      else this.children.set(id, { pe: c.pe, set: c.set.copy() });
    }
  }

  copy(): FieldSet {
    const out = new FieldSet();
    out.addAll(this);
    return out;
  }

  /** Whether a path is in both sets (walks `other`, typically the smaller: what one write changed). */
  overlaps(other: FieldSet): boolean {
    for (const id of other.members.keys()) if (this.members.has(id)) return true;
    for (const [id, c] of other.children) {
      const mine = this.children.get(id);
      if (mine && mine.set.overlaps(c.set)) return true;
    }
    return false;
  }

  /** Paths in this set and not in `other` (path by path: a member does not remove what is below it). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!other.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const theirs = other.children.get(id);
      const rest = theirs ? c.set.difference(theirs.set) : c.set.copy();
      if (!rest.empty()) out.children.set(id, { pe: c.pe, set: rest });
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (other.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const theirs = other.children.get(id);
      if (!theirs) continue;
      const both = c.set.intersection(theirs.set);
      if (!both.empty()) out.children.set(id, { pe: c.pe, set: both });
    }
    return out;
  }

  /** This set without every path that has a prefix in `prefixes` (a prefix removes its whole subtree). */
  withoutPrefixes(prefixes: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!prefixes.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      if (prefixes.members.has(id)) continue;
      const theirs = prefixes.children.get(id);
      const rest = theirs ? c.set.withoutPrefixes(theirs.set) : c.set.copy();
      if (!rest.empty()) out.children.set(id, { pe: c.pe, set: rest });
    }
    return out;
  }

  /** This set with only the paths that start with one of `prefixes`' members. */
  onlyUnder(prefixes: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (prefixes.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      if (prefixes.members.has(id)) out.children.set(id, { pe: c.pe, set: c.set.copy() });
      else {
        const theirs = prefixes.children.get(id);
        const rest = theirs ? c.set.onlyUnder(theirs.set) : undefined;
        if (rest && !rest.empty()) out.children.set(id, { pe: c.pe, set: rest });
      }
    }
    return out;
  }

  /** Every struct field on the way to a member counted as a member too (structured-merge-diff's EnsureNamedFieldsAreMembers). */
  withNamedFieldsAsMembers(): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      if (c.set.empty()) continue;
      if ('field' in c.pe) out.members.set(id, c.pe);
      out.children.set(id, { pe: c.pe, set: c.set.withNamedFieldsAsMembers() });
    }
    return out;
  }

  /** Every member path, in fieldsV1 order. */
  paths(prefix: PathElement[] = []): PathElement[][] {
    const out: PathElement[][] = [];
    for (const { pe, member, child } of this.entries()) {
      if (member) out.push([...prefix, pe]);
      if (child) out.push(...child.paths([...prefix, pe]));
    }
    return out;
  }

  private entries(): Array<{ id: string; pe: PathElement; member: boolean; child?: FieldSet }> {
    const out: Array<{ id: string; pe: PathElement; member: boolean; child?: FieldSet }> = [];
    for (const [id, pe] of this.members) {
      const c = this.children.get(id);
      out.push({ id, pe, member: true, child: c && !c.set.empty() ? c.set : undefined });
    }
    for (const [id, c] of this.children) if (!this.members.has(id) && !c.set.empty()) out.push({ id, pe: c.pe, member: false, child: c.set });
    return out.sort((a, b) => compareElements(a.pe, b.pe));
  }

  /** The `fieldsV1` object: `{"f:spec": {"f:replicas": {}}}`, `.` marking an element that is also a member. */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.fillFieldsV1(out);
    return out;
  }

  private fillFieldsV1(out: Record<string, unknown>): void {
    for (const { id, member, child } of this.entries()) {
      const node: Record<string, unknown> = {};
      if (child) {
        if (member) node['.'] = {};
        child.fillFieldsV1(node);
      }
      out[id] = node;
    }
  }

  static fromFieldsV1(v: unknown): FieldSet {
    const set = new FieldSet();
    set.read(v);
    return set;
  }

  private read(v: unknown): void {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('fieldsV1 must be an object');
    for (const [k, sub] of Object.entries(v)) {
      if (k === '.') continue;
      const pe = parseElement(k);
      if (sub === null || typeof sub !== 'object' || Array.isArray(sub)) throw new Error(`fieldsV1 entry ${k} must be an object`);
      const keys = Object.keys(sub);
      if (keys.length === 0 || keys.includes('.')) this.members.set(serializeElement(pe), pe);
      if (keys.some((x) => x !== '.')) this.child(pe).read(sub);
    }
  }
}
