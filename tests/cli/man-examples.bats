#!/usr/bin/env bats
# Every command of every EXAMPLES section of the man pages (man/*.1,
# man/zkpar.7, man/zkpar-formats.5), run in order, one fresh directory a
# page, with the tools on PATH, so that the examples stay true as the tools
# change.  The commands are taken from the roff source between .EX and .EE,
# unescaped (\- \e \(aq \(dq \(ga \(ti \& ...), and cut into commands the way
# the shell reads them (continuation lines, quotes and compound commands
# spanning lines are joined until `bash -n` accepts the text).  A command
# must exit 0, unless its text says "# exits N", when it must exit N.  Also:
# every tool page has the sections of a complete page, SEE ALSO names pages
# that exist, groff renders each page without a warning.  Needs jq and GNU
# parallel for the pages that use them.  Run through `make check`
# (top_builddir, top_srcdir).

setup_file() {
    : "${top_builddir:?run this through make check}"
    export M="$top_srcdir/man"
}

setup() {
    T="$BATS_TEST_TMPDIR"
}

# The EXAMPLES section's .EX blocks of the page $1, unescaped, one block
# after another, each followed by an empty line.  Fails (status 1, with a
# message) on a roff escape it does not know.
examples_of() {
    awk -v page="$1" '
        /^\.SH[ \t]/ {
            name = $0
            sub(/^\.SH[ \t]+/, "", name)
            gsub(/"/, "", name)
            inside = (name == "EXAMPLES")
            next
        }
        !inside { next }
        /^\.EX/ { code = 1; next }
        /^\.EE/ { code = 0; print ""; next }
        !code || /^\.\\"/ { next }
        /^\./ { printf "%s: a roff request inside .EX: %s\n", page, $0 > "/dev/stderr"; bad = 1; next }
        {
            line = $0
            gsub(/\\e/, "\001", line)
            gsub(/\\-/, "-", line)
            gsub(/\\\(aq/, "\047", line)
            gsub(/\\\(dq/, "\"", line)
            gsub(/\\\(ga/, "`", line)
            gsub(/\\\(ti/, "~", line)
            gsub(/\\\(ha/, "^", line)
            gsub(/\\&/, "", line)
            gsub(/\\ /, " ", line)
            if (index(line, "\\")) {
                printf "%s: an unknown roff escape: %s\n", page, $0 > "/dev/stderr"
                bad = 1
            }
            gsub(/\001/, "\\", line)
            print line
        }
        END { exit bad }
    ' "$1"
}

# Cut the example text on stdin into commands and write a bash script that
# runs them in order, each checked against its expected exit status; print
# the number of commands on stdout.  Lines are joined until `bash -n`
# accepts them and they do not end in a backslash; comment-only and empty
# commands are dropped.
script_of() {
    local out=$1 buf='' line n=0 want
    printf 'set -o pipefail\n' >"$out"
    while IFS= read -r line || [ -n "$line" ]; do
        buf+="$line"$'\n'
        [[ "$line" == *\\ ]] && continue
        bash -n <<<"$buf" 2>/dev/null || continue
        if [ -n "$(sed -e 's/^[[:space:]]*#.*//' -e '/^[[:space:]]*$/d' <<<"$buf")" ]; then
            n=$((n + 1))
            want=0
            if [[ "$buf" =~ \#\ exits\ ([0-9]+) ]]; then
                want=${BASH_REMATCH[1]}
            fi
            {
                printf 'printf "%%s\\n" %q\n' "\$ ${buf%$'\n'}"
                printf '{\n%s}\n' "$buf"
                printf 'st=$?\n'
                printf 'if [ "$st" -ne %d ]; then\n' "$want"
                printf '    printf "%%s\\n" "man-examples: command %d exited $st, not %d"\n' "$n" "$want"
                printf '    exit 1\nfi\n'
            } >>"$out"
        fi
        buf=
    done
    if [ -n "$buf" ]; then
        echo "man-examples: an incomplete command at the end: $buf" >&2
        return 1
    fi
    echo "$n"
}

# Run the examples of man page $1 in a fresh directory with the tools on
# PATH; at least one command must be there.
run_page() {
    local page="$M/$1" n tool
    examples_of "$page" >"$T/examples.txt"
    n=$(script_of "$T/script.sh" <"$T/examples.txt")
    echo "$1: $n commands"
    [ "$n" -gt 0 ]
    for tool in jq parallel; do
        if grep -qw "$tool" "$T/examples.txt" && ! command -v "$tool" >/dev/null; then
            skip "$1: its examples use $tool, which is not installed"
        fi
    done
    mkdir "$T/run"
    cd "$T/run"
    PATH="$top_builddir/tools:$PATH" run bash "$T/script.sh" </dev/null
    echo "$output" | tail -n 40
    [ "$status" -eq 0 ]
}

@test "the extractor: unescaping, joined lines, expected exit statuses" {
    cat >"$T/x.1" <<'EOF'
.TH X 1
.SH DESCRIPTION
.EX
not run
.EE
.SH EXAMPLES
Text.
.PP
.EX
# a comment
printf \(aq%s\en\(aq a\-b \e
    c\(dqd\(dq > out.txt
for i in 1 2; do
    echo "$i"
done >> out.txt
test "$(cat out.txt)" = "$(printf \(aqa-b\encd\en1\en2\(aq)"
false   # exits 1
sh \-c \(aqexit 3\(aq |
    cat
.EE
.SH SEE ALSO
EOF
    examples_of "$T/x.1" >"$T/x.txt"
    [ "$(grep -c 'not run' "$T/x.txt")" -eq 0 ]
    grep -qF "printf '%s\\n' a-b \\" "$T/x.txt"
    # 5 commands (the comment is dropped); the last exits 3 (pipefail)
    n=$(script_of "$T/x.sh" <"$T/x.txt")
    [ "$n" -eq 5 ]
    cd "$T"
    run bash "$T/x.sh"
    [ "$status" -eq 1 ]
    [[ "$output" == *"command 5 exited 3, not 0"* ]]
    [ "$(cat "$T/out.txt")" = "$(printf 'a-b\ncd\n1\n2')" ]
    # an unmarked failure fails, a marked success fails, a good page passes
    printf '.SH EXAMPLES\n.EX\ntrue\nfalse\n.EE\n' >"$T/y.1"
    examples_of "$T/y.1" | script_of "$T/y.sh" >/dev/null
    run bash "$T/y.sh"
    [ "$status" -eq 1 ]
    [[ "$output" == *"command 2 exited 1, not 0"* ]]
    printf '.SH EXAMPLES\n.EX\ntrue  # exits 2\n.EE\n' >"$T/y.1"
    examples_of "$T/y.1" | script_of "$T/y.sh" >/dev/null
    run bash "$T/y.sh"
    [ "$status" -eq 1 ]
    [[ "$output" == *"command 1 exited 0, not 2"* ]]
    printf '.SH EXAMPLES\n.EX\nx=1\ntest "$x" = 1\nfalse # exits 1\n.EE\n' >"$T/y.1"
    examples_of "$T/y.1" | script_of "$T/y.sh" >/dev/null
    run bash "$T/y.sh"
    [ "$status" -eq 0 ]
    # unknown escapes and an unfinished command are refused
    printf '.SH EXAMPLES\n.EX\necho \\fBbold\\fR\n.EE\n' >"$T/z.1"
    run examples_of "$T/z.1"
    [ "$status" -eq 1 ]
    [[ "$output" == *"unknown roff escape"* ]]
    run script_of "$T/z.sh" <<<'echo "open'
    [ "$status" -eq 1 ]
    [[ "$output" == *"incomplete command"* ]]
}

@test "every tool page has the sections of a complete page" {
    sections=(NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" FILES EXAMPLES "SEE ALSO")
    for page in "$M"/*.1; do
        for s in "${sections[@]}"; do
            grep -Eqx "\\.SH \"?$s\"?" "$page" || { echo "${page##*/}: no $s section"; return 1; }
        done
    done
    for s in NAME DESCRIPTION FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
        grep -Eqx "\\.SH \"?$s\"?" "$M/zkpar.7" || { echo "zkpar.7: no $s section"; return 1; }
    done
}

@test "SEE ALSO names pages that exist; groff renders every page cleanly" {
    for page in "$M"/*.[157]; do
        refs=$(awk '/^\.SH/ { on = ($0 ~ /SEE ALSO/); next } on' "$page" |
            sed -n 's/^\.BR \(zk[-a-z\\]*\) (\([0-9]\)).*/\1.\2/p' | sed 's/\\-/-/g')
        [ -n "$refs" ]
        for r in $refs; do
            [ -f "$M/$r" ] || { echo "${page##*/}: SEE ALSO $r: no such page"; return 1; }
        done
    done
    command -v groff >/dev/null || skip "groff not installed"
    for page in "$M"/*.[157]; do
        out=$(groff -man -ww -z "$page" 2>&1)
        [ -z "$out" ] || { echo "${page##*/}: $out"; return 1; }
    done
}

@test "zk-wallet(1) EXAMPLES run" {
    run_page zk-wallet.1
}

@test "zk-setup(1) EXAMPLES run" {
    run_page zk-setup.1
}

@test "zk-partition(1) EXAMPLES run" {
    run_page zk-partition.1
}

@test "zk-prove(1) EXAMPLES run" {
    run_page zk-prove.1
}

@test "zk-aggregate(1) EXAMPLES run" {
    run_page zk-aggregate.1
}

@test "zk-verify(1) EXAMPLES run" {
    run_page zk-verify.1
}

@test "zkpar(7) EXAMPLES run" {
    run_page zkpar.7
}

@test "zkpar-formats(5) EXAMPLES run" {
    run_page zkpar-formats.5
}
