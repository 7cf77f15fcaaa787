// The kubeconfig files `kctl config` reads and writes, as clientcmd does: the merged view is
// first-wins over the files in precedence order; a change to an entry goes to the file that holds
// it, a new entry to the default file (--kubeconfig, else the first of $KUBECONFIG that exists,
// else the last of them), the current context to the first file that sets one. A file keeps its
// format: JSON (as kctl writes it, read without a YAML parser) or YAML.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { configFiles, defaultKubeconfigPath, parseConfig, type KubeconfigOverrides } from '../../api/kubeconfig.js';
import { CliError } from '../errors.js';

export type Section = 'clusters' | 'users' | 'contexts';
/** The key of an entry's body in its section: `cluster`, `user`, `context`. */
export const BODY: Record<Section, 'cluster' | 'user' | 'context'> = { clusters: 'cluster', users: 'user', contexts: 'context' };

export interface NamedEntry {
  name: string;
  [key: string]: any;
}

export interface ConfigFile {
  path: string;
  exists: boolean;
  json: boolean;
  doc: Record<string, any>;
  dirty: boolean;
}

export class ConfigFiles {
  private constructor(
    readonly files: ConfigFile[],
    /** Whether --kubeconfig named the file. */
    readonly explicit: boolean,
  ) {}

  static async load(o: KubeconfigOverrides): Promise<ConfigFiles> {
    const paths = o.kubeconfig || process.env.KUBECONFIG ? configFiles(o) : [defaultKubeconfigPath()];
    const files: ConfigFile[] = [];
    for (const path of paths) {
      if (!existsSync(path)) {
        if (o.kubeconfig) throw new CliError(`stat ${path}: no such file or directory`);
        files.push({ path, exists: false, json: false, doc: {}, dirty: false });
        continue;
      }
      const text = readFileSync(path, 'utf8');
      let doc: Record<string, any>;
      try {
        doc = ((await parseConfig(text, path)) ?? {}) as Record<string, any>;
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      files.push({ path, exists: true, json: text.trimStart().startsWith('{'), doc, dirty: false });
    }
    return new ConfigFiles(files, !!o.kubeconfig);
  }

  /** Every entry of a section, first file wins, sorted by name (clientcmd's maps). */
  entries(section: Section): NamedEntry[] {
    const seen = new Map<string, NamedEntry>();
    for (const f of this.files) for (const e of (f.doc[section] ?? []) as NamedEntry[]) if (!seen.has(e.name)) seen.set(e.name, e);
    return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  find(section: Section, name: string): NamedEntry | undefined {
    return this.entries(section).find((e) => e.name === name);
  }

  currentContext(): string {
    for (const f of this.files) if (f.doc['current-context']) return f.doc['current-context'];
    return '';
  }

  /** Where a new entry goes. */
  defaultFile(): ConfigFile {
    if (this.explicit) return this.files[0];
    return this.files.find((f) => f.exists) ?? this.files[this.files.length - 1];
  }

  private fileHolding(section: Section, name: string): ConfigFile | undefined {
    return this.files.find((f) => ((f.doc[section] ?? []) as NamedEntry[]).some((e) => e.name === name));
  }

  /** Changes (or adds) an entry's body; returns whether it existed. */
  upsert(section: Section, name: string, change: (body: Record<string, any>) => void): boolean {
    const holder = this.fileHolding(section, name);
    const file = holder ?? this.defaultFile();
    const list: NamedEntry[] = (file.doc[section] ??= []);
    let entry = list.find((e) => e.name === name);
    if (!entry) {
      entry = { name, [BODY[section]]: {} };
      list.push(entry);
    }
    entry[BODY[section]] ??= {};
    change(entry[BODY[section]]);
    file.dirty = true;
    return !!holder;
  }

  /** Removes an entry from the file that holds it; returns that file's path or undefined. */
  remove(section: Section, name: string): string | undefined {
    const file = this.fileHolding(section, name);
    if (!file) return undefined;
    file.doc[section] = (file.doc[section] as NamedEntry[]).filter((e) => e.name !== name);
    file.dirty = true;
    return file.path;
  }

  setCurrentContext(name: string): void {
    const file = this.files.find((f) => f.doc['current-context']) ?? this.defaultFile();
    file.doc['current-context'] = name;
    file.dirty = true;
  }

  /** The path kubectl names in its messages: the file that holds the entry, else the default one. */
  pathOf(section: Section, name: string): string {
    return (this.fileHolding(section, name) ?? this.defaultFile()).path;
  }

  async save(): Promise<void> {
    for (const f of this.files.filter((x) => x.dirty)) {
      const doc = { apiVersion: 'v1', kind: 'Config', preferences: {}, ...f.doc };
      let text: string;
      if (f.json) text = `${JSON.stringify(doc, null, 2)}\n`;
      else {
        const { toYaml } = await import('../../api/printers/yaml-json.js');
        text = toYaml(doc);
      }
      writeFileSync(f.path, text, { mode: 0o600 });
    }
  }
}
