// The shell completion script `kctl completion bash|zsh` prints, made from commander's command
// tree: command and subcommand names, each command's flags, resource types where a command takes
// TYPE, and object names read with `kctl get TYPE -o name` as you type.
import type { Command } from 'commander';

export interface CommandNode {
  path: string;
  subcommands: string[];
  flags: string[];
}

/** Every command of the tree with its subcommands' names (aliases too) and its flags. */
export function commandTree(program: Command): CommandNode[] {
  const out: CommandNode[] = [];
  const walk = (cmd: Command, path: string, inherited: string[]) => {
    const flags = [...inherited, ...cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f))];
    out.push({ path, subcommands: cmd.commands.flatMap((c) => [c.name(), ...c.aliases()]), flags: [...new Set(flags)].sort() });
    for (const c of cmd.commands) {
      walk(c, `${path} ${c.name()}`, inherited);
      for (const alias of c.aliases()) walk(c, `${path} ${alias}`, inherited);
    }
  };
  walk(program, program.name(), program.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)));
  return out;
}

/** The commands whose first argument is a resource type. */
const TAKES_TYPE = ['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'explain', 'patch', 'scale', 'wait', 'rollout status', 'rollout history', 'rollout undo', 'rollout restart', 'set image', 'set env', 'set resources', 'set serviceaccount'];

function quote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

export function bashCompletion(tree: CommandNode[], resourceTypes: string[]): string {
  const entries = tree.map((n) => `    [${quote(n.path)}]=${quote(`${n.subcommands.join(' ')}|${n.flags.join(' ')}`)}`).join('\n');
  return `# bash completion for kctl                                 -*- shell-script -*-
# Load it with: source <(kctl completion bash)

declare -gA __kctl_tree=(
${entries}
)
__kctl_types=${quote(resourceTypes.join(' '))}
__kctl_takes_type=${quote(TAKES_TYPE.map((c) => `|kctl ${c}|`).join(''))}

__kctl_start() {
    local cur="\${COMP_WORDS[COMP_CWORD]}"
    local path="kctl" word i args=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="\${COMP_WORDS[i]}"
        case "$word" in
            -n | --namespace | --context | --kubeconfig | -s | --server | --token | -o | --output | -l | --selector | -f | --filename | -c | --container | -k | --kustomize)
                ((i++))
                continue
                ;;
            -*) continue ;;
        esac
        if [[ -n "\${__kctl_tree["$path $word"]+x}" ]]; then
            path="$path $word"
        else
            args+=("$word")
        fi
    done
    local entry="\${__kctl_tree[$path]}"
    local subcommands="\${entry%%|*}" flags="\${entry#*|}"
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
        return
    fi
    if [[ -n "$subcommands" && \${#args[@]} -eq 0 ]]; then
        COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
        return
    fi
    if [[ "$__kctl_takes_type" == *"|$path|"* ]]; then
        if [[ \${#args[@]} -eq 0 && "$cur" != */* ]]; then
            COMPREPLY=($(compgen -W "$__kctl_types" -- "$cur"))
            return
        fi
        local type="\${args[0]}" prefix=""
        if [[ "$cur" == */* ]]; then type="\${cur%%/*}"; prefix="$type/"; fi
        local names
        names=$(kctl get "$type" -o name 2>/dev/null | sed 's|.*/||')
        COMPREPLY=($(compgen -P "$prefix" -W "$names" -- "\${cur#"$prefix"}"))
    fi
}

complete -o default -F __kctl_start kctl
`;
}

export function zshCompletion(tree: CommandNode[], resourceTypes: string[]): string {
  return `#compdef kctl
# zsh completion for kctl; load it with: source <(kctl completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(tree, resourceTypes).replace(/^# bash completion for kctl.*\n# Load it with.*\n/, '')}`;
}
