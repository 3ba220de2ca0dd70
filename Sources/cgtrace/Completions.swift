/// `cgtrace --completions bash|zsh|fish`: shell completion scripts generated from the option
/// tables (OptionTable.all and the recorder's), so a new option is completed without anyone
/// editing a completion file. scripts/install.sh installs the three.
///
/// What each script knows: the options of live tracing and of each recorder subcommand; which
/// options take a value, the next word or only after `=` (`--decode-fds=SET`), and what to offer
/// for it (files, cgroups, containers, users, pids, a fixed set of words); that the first plain
/// word is the traced COMMAND, completed as its own command line (for `record`, the word after
/// NAME); that `dump` and `stop` take the name of a recording (the directories under
/// /sys/fs/bpf/cgtrace, readable by root only) and `replay` a file.
enum CompletionScript {
    enum Shell: String, CaseIterable {
        case bash, zsh, fish
    }

    /// What the plain (non-option) words of a command line are.
    enum Positional {
        case command            // live tracing: COMMAND [ARGS…]
        case nameThenCommand    // record NAME [--] [COMMAND [ARGS…]]
        case recording          // dump NAME, stop NAME: an existing recording
        case file               // replay FILE
        case nothing            // list
    }

    /// A set of options: live tracing's ("top") or one recorder subcommand's.
    struct Context {
        let name: String
        let specs: [OptionSpec]
        let positional: Positional
    }

    /// The recorder subcommands' plain words; one not named here completes none.
    static let positionals: [String: Positional] = [
        "record": .nameThenCommand, "dump": .recording, "stop": .recording, "replay": .file, "list": .nothing,
    ]

    static var subcommands: [String] { RecorderCommandLine.subcommands.sorted() }

    static var contexts: [Context] {
        [Context(name: "top", specs: OptionTable.all, positional: .command)]
            + subcommands.map { Context(name: $0, specs: RecorderCommandLine.options($0), positional: positionals[$0] ?? .nothing) }
    }

    /// The spellings that take the next word as their value (`-o FILE`, `--output FILE`); an
    /// optional value (`--decode-fds=SET`) never does, and its short form is a flag.
    static func takingNextWord(_ specs: [OptionSpec]) -> [String] {
        specs.filter { $0.value != nil && !$0.valueIsOptional }.flatMap(spellings)
    }

    /// The spellings after which a value is completed (after a space or an `=`).
    static func valueSpellings(_ spec: OptionSpec) -> [String] {
        guard spec.value != nil else { return [] }
        return spec.valueIsOptional ? spec.long.map { ["--\($0)"] } ?? [] : spellings(spec)
    }

    /// What to offer for an option's value.
    enum ValueKind: Equatable {
        /// A cgroup: a directory, absolute or relative to the cgroup v2 mount (as --cgroup takes it).
        /// A container: the names the installed runtimes list (podman ps, docker ps).
        case free, file, cgroup, user, pid, container
        case words([String])
    }

    /// From the option's choices, else its placeholder; an unknown placeholder offers nothing.
    static func valueKind(_ spec: OptionSpec) -> ValueKind {
        if !spec.choices.isEmpty { return .words(spec.choices) }
        let byPlaceholder: [String: ValueKind] = [
            "FILE": .file, "PATH": .file, "PATH|ID": .cgroup, "ID|NAME": .container, "USER": .user, "PID[,PID…]": .pid,
        ]
        return spec.value.flatMap { byPlaceholder[$0] } ?? .free
    }

    static func spellings(_ spec: OptionSpec) -> [String] {
        (spec.short.map { ["-\($0)"] } ?? []) + (spec.long.map { ["--\($0)"] } ?? [])
    }

    static func script(for shell: Shell) -> String {
        switch shell {
        case .bash: return bash()
        case .zsh: return zsh()
        case .fish: return fish()
        }
    }


    /// Prints the names of running containers, one a line, from each runtime that answers.
    static let containerNamesCommand = "{ podman ps --format '{{.Names}}'; docker ps --format '{{.Names}}'; } 2>/dev/null"

    /// Prints the cgroup v2 mount point, from the fields of /proc/self/mountinfo (the file
    /// system type follows the "-" that ends the optional fields), as cgtrace finds it.
    static let cgroupMountCommand = #"awk '{ for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") { print $5; exit } break } }' /proc/self/mountinfo"#
    static let recordingsDirectory = "/sys/fs/bpf/cgtrace"

    // MARK: bash (uses bash-completion's helpers: _init_completion, _filedir, _pids, _command_offset)

    static func bash() -> String {
        var contextCases = ""
        var valueCases = ""
        for c in contexts {
            let options = c.specs.flatMap(spellings).joined(separator: " ")
            let valued = takingNextWord(c.specs).joined(separator: " ")
            contextCases += "        \(c.name)) options='\(options)'; valued='\(valued)' ;;\n"
            var arms = ""
            for spec in c.specs where !valueSpellings(spec).isEmpty {
                let action: String
                switch valueKind(spec) {
                case .free: action = "return"
                case .file: action = "_filedir; return"
                case .cgroup: action = "_cgtrace_cgroups; return"
                case .container: action = "COMPREPLY=($(compgen -W \"$(\(containerNamesCommand))\" -- \"$cur\")); return"
                case .user: action = "COMPREPLY=($(compgen -u -- \"$cur\")); return"
                case .pid: action = "_pids; return"
                case .words(let words): action = "COMPREPLY=($(compgen -W '\(words.joined(separator: " "))' -- \"$cur\")); return"
                }
                arms += "                    \(valueSpellings(spec).joined(separator: "|"))) \(action) ;;\n"
            }
            if !arms.isEmpty { valueCases += "            \(c.name))\n                case $value_of in\n\(arms)                esac ;;\n" }
        }
        func names(_ p: Positional) -> String { contexts.filter { $0.positional == p }.map(\.name).joined(separator: "|") }
        return """
        # bash completion for cgtrace, generated by `cgtrace --completions bash` from its option table.

        _cgtrace_recordings() {
            COMPREPLY+=($(compgen -W "$(command ls \(recordingsDirectory) 2>/dev/null)" -- "$cur"))
        }

        # A cgroup: absolute, or relative to the cgroup v2 mount.
        _cgtrace_cgroups() {
            if [[ $cur == /* ]]; then
                _filedir -d
                return
            fi
            local mount
            mount=$(\(cgroupMountCommand))
            [[ -d $mount ]] || return
            COMPREPLY=($(cd "$mount" && compgen -d -S / -- "$cur"))
            compopt -o nospace
        }

        _cgtrace() {
            local cur prev words cword split
            _init_completion -s || return
            local context=top first=1
            if (( cword > 1 )); then
                case ${words[1]} in \(subcommands.joined(separator: "|"))) context=${words[1]}; first=2 ;; esac
            fi
            local options valued
            case $context in
        \(contextCases)    esac
            # Walk the words before the cursor: option values, the recording NAME, the COMMAND.
            local i j word positional=0 value_of=
            $split && value_of=$prev
            for (( i = first; i < cword; i++ )); do
                word=${words[i]}
                if [[ $word == -- ]]; then
                    [[ $context == @(top|\(names(.nameThenCommand))) ]] && { _command_offset $((i + 1)); return; }
                elif [[ $word == --?* ]]; then
                    if [[ $word != *=* && " $valued " == *" $word "* ]]; then
                        (( ++i == cword )) && value_of=$word
                    fi
                elif [[ $word == -?* ]]; then
                    # Bundled short options: a letter that takes a value takes the rest of the word,
                    # or the next word when it is the last letter.
                    for (( j = 1; j < ${#word}; j++ )); do
                        if [[ " $valued " == *" -${word:j:1} "* ]]; then
                            (( j == ${#word} - 1 && ++i == cword )) && value_of=-${word:j:1}
                            break
                        fi
                    done
                else
                    if [[ $context == top ]] || [[ $context == @(\(names(.nameThenCommand))) && $positional -gt 0 ]]; then
                        _command_offset $i
                        return
                    fi
                    (( positional++ ))
                fi
            done
            # The cursor is in the value of option $value_of.
            if [[ $value_of ]]; then
                case $context in
        \(valueCases)        esac
                return
            fi
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$options" -- "$cur"))
                return
            fi
            case $context in
                top)
                    (( cword == 1 )) && COMPREPLY=($(compgen -W '\(subcommands.joined(separator: " "))' -- "$cur"))
                    COMPREPLY+=($(compgen -c -- "$cur")) ;;
                \(names(.nameThenCommand))) (( positional > 0 )) && COMPREPLY=($(compgen -c -- "$cur")) ;;
                \(names(.recording))) (( positional == 0 )) && _cgtrace_recordings ;;
                \(names(.file))) (( positional == 0 )) && _filedir ;;
            esac
        }
        complete -F _cgtrace cgtrace

        """
    }

    // MARK: zsh (_arguments; the COMMAND is completed by _normal as its own command line)

    /// `[`, `]`, `:` and `\` are special in _arguments' descriptions; `'` ends the quoting.
    static func zshQuoted(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "[", "]", ":", "\\": out += "\\" + String(c)
            case "'": out += "'\\''"
            default: out.append(c)
            }
        }
        return out
    }

    static func zshSpecs(_ c: Context) -> String {
        var lines: [String] = []
        for spec in c.specs {
            // An optional value (--decode-fds=SET) follows only an `=`, and its short form
            // (-y) is a flag of its own.
            if spec.valueIsOptional, spec.value != nil, let s = spec.short {
                lines.append("    '*-\(s)[\(zshQuoted(spec.help))]'")
            }
            var names: [String] = []
            if let s = spec.short, !spec.valueIsOptional { names.append("-\(s)" + (spec.value != nil ? "+" : "")) }
            if let l = spec.long { names.append("--\(l)" + (spec.value == nil ? "" : spec.valueIsOptional ? "=-" : "=")) }
            guard !names.isEmpty else { continue }
            // Options count or repeat (-tt, -yy, -e …, -P …): each may be given again.
            let namePart = names.count == 1 ? "'*\(names[0])" : "'*'{\(names.joined(separator: ","))}'"
            var line = namePart + "[\(zshQuoted(spec.help))]"
            if let placeholder = spec.value {
                let action: String
                switch valueKind(spec) {
                case .free: action = " "
                case .file: action = "_files"
                case .cgroup: action = "_cgtrace_cgroups"
                case .container: action = "_cgtrace_containers"
                case .user: action = "_users"
                case .pid: action = "_pids"
                case .words(let words): action = "(\(words.joined(separator: " ")))"
                }
                line += (spec.valueIsOptional ? "::" : ":") + "\(zshQuoted(placeholder)):\(action)"
            }
            lines.append("    " + line + "'")
        }
        return lines.joined(separator: "\n")
    }

    static func zsh() -> String {
        var arrays = ""
        var subcommandArms = ""
        for c in contexts {
            arrays += "  local -a \(c.name)_options=(\n\(zshSpecs(c))\n  )\n"
            let positional: String
            switch c.positional {
            case .command: continue
            case .nameThenCommand:
                // NAME comes first; after it, options until the COMMAND (as for live tracing).
                // (One _arguments with '1:…' '*:::…' would take every word after NAME for the command.)
                subcommandArms += """
                      \(c.name))
                        if (( CURRENT > 2 )) && [[ ${words[2]} != -* ]]; then
                          shift words
                          (( CURRENT-- ))
                          _arguments -s -S : $\(c.name)_options '*:::command:_normal'
                        else
                          _arguments -s -S : $\(c.name)_options '1:recording name: '
                        fi ;;

                """
                continue
            case .recording: positional = "'1:recording:_cgtrace_recordings'"
            case .file: positional = "'1:file:_files'"
            case .nothing: positional = ""
            }
            subcommandArms += "      \(c.name)) _arguments -s -S : $\(c.name)_options \(positional) ;;\n"
        }
        return """
        #compdef cgtrace
        # zsh completion for cgtrace, generated by `cgtrace --completions zsh` from its option table.

        _cgtrace_recordings() {
          local -a names=(\(recordingsDirectory)/*(N/:t))
          _wanted recordings expl 'recording' compadd -a names
        }

        # A cgroup: absolute, or relative to the cgroup v2 mount.
        _cgtrace_cgroups() {
          if [[ $PREFIX == /* ]]; then
            _path_files -/
          else
            local mount=$(\(cgroupMountCommand))
            [[ -d $mount ]] && _path_files -/ -W $mount
          fi
        }

        _cgtrace_containers() {
          local -a names=(${(f)"$(\(containerNamesCommand))"})
          _wanted containers expl 'container' compadd -a names
        }

        # The traced COMMAND; as the first word, also a flight recorder subcommand.
        _cgtrace_command() {
          if (( CURRENT == 1 && _cgtrace_first_word )); then
            _alternative 'subcommands:flight recorder subcommand:(\(subcommands.joined(separator: " ")))' \\
              'commands:command:_command_names -e'
          else
            _normal
          fi
        }

        _cgtrace() {
        \(arrays)  if (( CURRENT > 2 )) && [[ ${words[2]} == (\(subcommands.joined(separator: "|"))) ]]; then
            local subcommand=${words[2]}
            shift words
            (( CURRENT-- ))
            case $subcommand in
        \(subcommandArms)    esac
          else
            local _cgtrace_first_word=$(( CURRENT == 2 ))
            _arguments -s -S : $top_options '*:::command:_cgtrace_command'
          fi
        }

        if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
          _cgtrace "$@"
        else
          compdef _cgtrace cgtrace
        fi

        """
    }

    // MARK: fish

    static func fishQuoted(_ text: String) -> String {
        "'" + text.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'") + "'"
    }

    static func fish() -> String {
        var valuedCases = ""
        var lines: [String] = []
        for c in contexts {
            let valued = takingNextWord(c.specs)
            valuedCases += "        case \(c.name)\n            set valued \(valued.joined(separator: " "))\n"
            for spec in c.specs {
                var line = "complete -c cgtrace -n '__cgtrace_options_of \(c.name)'"
                if let s = spec.short { line += " -s \(s)" }
                if let l = spec.long { line += " -l \(l)" }
                // An optional value (--decode-fds=SET): fish completes the option as a flag.
                if spec.value != nil && !spec.valueIsOptional {
                    switch valueKind(spec) {
                    case .free: line += " -x"
                    case .file: line += " -r -F"
                    case .cgroup: line += " -x -a '(__cgtrace_cgroups)'"
                    case .container: line += " -x -a '(__cgtrace_containers)'"
                    case .user: line += " -x -a '(__fish_complete_users)'"
                    case .pid: line += " -x -a '(__fish_complete_pids)'"
                    case .words(let words): line += " -x -a \(fishQuoted(words.joined(separator: " ")))"
                    }
                }
                lines.append(line + " -d " + fishQuoted(spec.help))
            }
        }
        func names(_ p: Positional) -> String { contexts.filter { $0.positional == p }.map(\.name).joined(separator: " ") }
        return """
        # fish completion for cgtrace, generated by `cgtrace --completions fish` from its option table.

        # top (live tracing) or the flight recorder's subcommand.
        function __cgtrace_context
            set -l tokens (commandline -opc)
            if set -q tokens[2]; and contains -- $tokens[2] \(subcommands.joined(separator: " "))
                echo $tokens[2]
            else
                echo top
            end
        end

        # Walks the words before the cursor: prints where the COMMAND starts (if it has), else the
        # number of plain words seen (the recording NAME), and returns 0 only for a COMMAND.
        function __cgtrace_scan
            set -l tokens (commandline -opc)
            set -l context (__cgtrace_context)
            set -l valued
            switch $context
        \(valuedCases)    end
            set -l i 2
            test $context = top; or set i 3
            set -l positional 0
            while test $i -le (count $tokens)
                set -l word $tokens[$i]
                if test "$word" = --
                    if contains -- $context top \(names(.nameThenCommand))
                        echo (math $i + 1)
                        return 0
                    end
                else if string match -q -- '--?*' $word
                    if not string match -q -- '*=*' $word; and contains -- $word $valued
                        set i (math $i + 1)
                    end
                else if string match -q -- '-?*' $word
                    set -l n (string length -- $word)
                    for j in (seq 2 $n)
                        if contains -- -(string sub -s $j -l 1 -- $word) $valued
                            test $j -eq $n; and set i (math $i + 1)
                            break
                        end
                    end
                else
                    if test $context = top; or begin; contains -- $context \(names(.nameThenCommand)); and test $positional -gt 0; end
                        echo $i
                        return 0
                    end
                    set positional (math $positional + 1)
                end
                set i (math $i + 1)
            end
            echo positional $positional
            return 1
        end

        # A cgroup: absolute, or relative to the cgroup v2 mount.
        function __cgtrace_cgroups
            set -l token (string replace -r -- '^--[^=]*=' '' (commandline -ct))
            if string match -q -- '/*' $token
                __fish_complete_directories $token
                return
            end
            set -l mount (\(cgroupMountCommand))
            test -d "$mount"; or return
            for dir in $mount/$token*/
                string replace -- $mount/ '' $dir
            end
        end

        function __cgtrace_containers
            begin; podman ps --format '{{.Names}}'; docker ps --format '{{.Names}}'; end 2>/dev/null
        end

        # Options of CONTEXT apply until the COMMAND starts.
        function __cgtrace_options_of
            test (__cgtrace_context) = $argv[1]; and not __cgtrace_scan >/dev/null
        end

        function __cgtrace_in_command
            __cgtrace_scan >/dev/null
        end

        function __cgtrace_complete_command
            set -l tokens (commandline -opc)
            set -l start (__cgtrace_scan)
            __fish_complete_subcommand --commandline $tokens[$start..-1] (commandline -ct)
        end

        # The first plain word of a subcommand with the given positional kind.
        function __cgtrace_wants_first
            contains -- (__cgtrace_context) $argv; and test "$(__cgtrace_scan)" = "positional 0"
        end

        function __cgtrace_wants_command_name
            set -l context (__cgtrace_context)
            test $context = top; or begin; contains -- $context \(names(.nameThenCommand)); and test "$(__cgtrace_scan)" = "positional 1"; end
            and not __cgtrace_scan >/dev/null; and not string match -q -- '-*' (commandline -ct)
        end

        complete -c cgtrace -f
        complete -c cgtrace -n '__cgtrace_in_command' -a '(__cgtrace_complete_command)'
        complete -c cgtrace -n 'test (count (commandline -opc)) -eq 1' -a '\(subcommands.joined(separator: " "))' -d 'flight recorder'
        complete -c cgtrace -n '__cgtrace_wants_command_name' -a '(__fish_complete_command)'
        complete -c cgtrace -n '__cgtrace_wants_first \(names(.recording))' -a '(command ls \(recordingsDirectory) 2>/dev/null)' -d recording
        complete -c cgtrace -n '__cgtrace_wants_first \(names(.file))' -F
        \(lines.joined(separator: "\n"))

        """
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
