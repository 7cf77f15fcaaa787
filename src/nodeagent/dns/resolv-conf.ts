// Pure: resolv.conf(5) read as the kubelet reads the node's (nameservers, the last search line,
// options where a later one of the same name wins) and written as the container runtime writes a
// pod's.

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  /** `name` or `name:value`, as on an options line. */
  options: string[];
}

/** Adds options; one already there with the same name is replaced in place. */
export function appendOptions(options: string[], more: string[]): string[] {
  const out = [...options];
  for (const opt of more) {
    const name = opt.split(':', 1)[0];
    const at = out.findIndex((o) => o.split(':', 1)[0] === name);
    if (at >= 0) out[at] = opt;
    else out.push(opt);
  }
  return out;
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith(';')) continue;
    const fields = line.trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) continue;
    if (fields[0] === 'nameserver' && fields[1]) conf.nameservers.push(fields[1]);
    // As the kubelet: the same domain with and without its trailing dot counts once; "." is no domain.
    else if (fields[0] === 'search') conf.searches = fields.slice(1).filter((s) => s !== '.').map((s) => s.replace(/\.$/, ''));
    else if (fields[0] === 'options') conf.options = appendOptions(conf.options, fields.slice(1));
  }
  return conf;
}

/** The file a pod's containers get, in the order containerd's CRI writes it. */
export function formatResolvConf(conf: ResolvConf): string {
  let text = '';
  if (conf.searches.length > 0) text += `search ${conf.searches.join(' ')}\n`;
  for (const ns of conf.nameservers) text += `nameserver ${ns}\n`;
  if (conf.options.length > 0) text += `options ${conf.options.join(' ')}\n`;
  return text;
}
