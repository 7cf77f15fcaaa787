// kctl auth can-i VERB (TYPE | TYPE/NAME | NONRESOURCEURL) and --list, as kubectl 1.32 asks them:
// a SelfSubjectAccessReview answered yes (exit 0) or no (exit 1), or the SelfSubjectRulesReview
// of a namespace printed as kubectl's table.
import type { Command } from 'commander';
import { connect } from '../../context.js';
import { resolveType } from '../../discovery.js';
import { CliError } from '../../errors.js';
import { alignColumns } from '../../printers/text-table.js';
import type { IOStreams } from '../../io-streams.js';

const KNOWN_RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest'];
const KNOWN_NON_RESOURCE_VERBS = ['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*'];

export interface Rule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** Go's `%v` of a []string: `[a b]`. */
function goList(values: string[] | undefined): string {
  return `[${(values ?? []).join(' ')}]`;
}

/** One rule per group, resource and name (or URL), verbs kept together: kubectl's BreakdownRule. */
function breakdown(rule: Rule): Rule[] {
  if (rule.nonResourceURLs?.length) return rule.nonResourceURLs.map((u) => ({ verbs: rule.verbs, nonResourceURLs: [u] }));
  const out: Rule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      if (rule.resourceNames?.length) for (const name of rule.resourceNames) out.push({ verbs: rule.verbs, apiGroups: [group], resources: [resource], resourceNames: [name] });
      else out.push({ verbs: rule.verbs, apiGroups: [group], resources: [resource] });
    }
  }
  return out;
}

/** Rules of one group, resource and name merged into one with every verb: kubectl's CompactRules. */
function compact(rules: Rule[]): Rule[] {
  const simple = new Map<string, Rule>();
  const rest: Rule[] = [];
  for (const r of rules) {
    if (r.nonResourceURLs?.length || r.apiGroups?.length !== 1 || r.resources?.length !== 1 || (r.resourceNames?.length ?? 0) > 1) {
      rest.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups[0], r.resources[0], r.resourceNames?.[0] ?? '']);
    const into = simple.get(key);
    if (!into) simple.set(key, { ...r, verbs: [...r.verbs] });
    else for (const v of r.verbs) if (!into.verbs.includes(v)) into.verbs.push(v);
  }
  return [...rest, ...simple.values()];
}

/** The generated protobuf String() of a PolicyRule, which kubectl sorts the rules by. */
function sortKey(r: Rule): string {
  return `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;
}

/** describe.CombineResourceGroup: `deployments.apps`, `pods/log`, `deployments.apps/scale`. */
function resourceGroup(r: Rule): string {
  const resource = r.resources?.[0];
  if (!resource) return '';
  const [base, sub] = resource.split(/\/(.*)/s);
  const group = r.apiGroups?.[0];
  return `${base}${group ? `.${group}` : ''}${sub !== undefined ? `/${sub}` : ''}`;
}

/** The --list table, as kubectl prints a SelfSubjectRulesReview's rules. */
export function rulesTable(rules: Rule[], noHeaders = false): string {
  const rows = compact(rules.flatMap(breakdown))
    .map((r) => ({ r, key: sortKey(r) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ r }) => [resourceGroup(r), goList(r.nonResourceURLs), goList(r.resourceNames), goList(r.verbs)]);
  return alignColumns(noHeaders ? rows : [['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs'], ...rows]);
}

interface CanIOptions {
  allNamespaces?: boolean;
  list?: boolean;
  quiet?: boolean;
  noHeaders?: boolean;
  subresource?: string;
}

export function register(auth: Command, io: IOStreams): void {
  auth
    .command('can-i')
    .description('Check whether an action is allowed')
    .argument('[args...]')
    .option('-A, --all-namespaces', 'if true, check the specified action in all namespaces', false)
    .option('--list', 'if true, prints all allowed actions', false)
    .option('-q, --quiet', 'if true, suppress output and just return the exit code', false)
    .option('--no-headers', 'if true, print allowed actions without headers')
    .option('--subresource <name>', 'subresource such as pod/log or deployment/scale', '')
    .action(async (args: string[], opts: CanIOptions, cmd: Command) => {
      if (opts.list && args.length) throw new CliError('list option must be specified with no arguments');
      if (opts.list && (opts.quiet || opts.allNamespaces || opts.subresource)) {
        throw new CliError("list option can't be specified with neither quiet, all-namespaces nor subresource options");
      }
      if (!opts.list && args.length !== 2) {
        throw new CliError("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kctl auth can-i -h' for help and examples.");
      }
      const [verb, resourceArg] = args;
      const ctx = await connect(cmd);
      const namespace = opts.allNamespaces ? '' : ctx.namespace;
      if (opts.list) {
        const review = await ctx.client.request<{ status?: { resourceRules?: Rule[]; nonResourceRules?: Rule[] } }>(
          'POST',
          '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
          { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: { namespace } },
        );
        const rules = [...(review.status?.resourceRules ?? []), ...(review.status?.nonResourceRules ?? [])];
        io.out.write(rulesTable(rules, opts.noHeaders === false));
        return;
      }
      const spec: Record<string, unknown> = {};
      if (resourceArg.startsWith('/')) {
        if (opts.subresource) throw new CliError('--subresource can not be used with NonResourceURL');
        if (!KNOWN_NON_RESOURCE_VERBS.includes(verb)) io.errOut.write(`Warning: verb '${verb}' is not a known verb\n\n`);
        spec.nonResourceAttributes = { verb, path: resourceArg };
      } else {
        const [typeName, name] = resourceArg.split(/\/(.*)/s);
        const r = await resolveType(ctx.client, typeName);
        if (!r) io.errOut.write(`Warning: the server doesn't have a resource type '${typeName}'\n\n`);
        else if (!r.namespaced && !opts.allNamespaces) io.errOut.write(`Warning: resource '${r.plural}' is not namespace scoped\n\n`);
        if (!KNOWN_RESOURCE_VERBS.includes(verb)) io.errOut.write(`Warning: verb '${verb}' is not a known verb\n\n`);
        spec.resourceAttributes = {
          namespace,
          verb,
          group: r?.group ?? '',
          version: r?.version ?? '',
          resource: r?.plural ?? typeName,
          ...(opts.subresource ? { subresource: opts.subresource } : {}),
          ...(name ? { name } : {}),
        };
      }
      const review = await ctx.client.request<{ status?: { allowed?: boolean; reason?: string; evaluationError?: string } }>(
        'POST',
        '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec },
      );
      const status = review.status ?? {};
      if (!opts.quiet) {
        const more = status.allowed ? '' : `${status.reason ? ` - ${status.reason}` : ''}${status.evaluationError ? ` - ${status.evaluationError}` : ''}`;
        io.out.write(`${status.allowed ? 'yes' : 'no'}${more}\n`);
      }
      if (!status.allowed) process.exitCode = 1;
    });
}
