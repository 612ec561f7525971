#!/bin/bash
# test/sys/t_man.sh -- the manual pages say what the programs do:
#
#  1. lint: `mandoc -T lint -W warning` and `groff -mandoc -ww -z` print
#     nothing for any page;
#  2. options: every option in a program's --help (its usage line and its
#     option list) is in the OPTIONS section of its page, and every option
#     the OPTIONS section lists as an item is in --help (a page documents
#     nothing that does not exist); for haadm the same between the commands
#     of `haadm help` and the items of the COMMANDS section, and every
#     option in a command's own usage (`haadm CMD --help`) is in COMMANDS;
#  3. tandem.conf.5: every key of every schema table in lib/cfg*.c is an
#     item (.It Ic KEY) under the heading that table belongs to (TABLES
#     below), and every such item is a key of the table; an enumerated
#     key's item names each of its keywords; an integer key's item gives
#     its range as MIN..MAX; every algorithm keyword of cfg_proposal.c is
#     in the page.  A new table must be added to TABLES (and to the page);
#     Every configuration shown in a page's literal displays validates.
#  4. the two-node sample: etc/tandem.conf (node A) and etc/tandem-hub-b.conf
#     (node B) both validate, have the same ike and sync sections, and
#     differ in ha only in the node's name and priorities.
#
# Usage: t_man.sh BUILD_DIR PAGE...   (from the repository root; a few s)
set -u
B=${1:?usage: t_man.sh BUILD_DIR PAGE...}
shift
T=$(mktemp -d /tmp/tnd-man.XXXXXX)
trap 'rm -rf "$T"' EXIT
npass=0
nfail=0

ok() { npass=$((npass + 1)); }
fail() { echo "FAIL: $*" >&2; nfail=$((nfail + 1)); }

# Schema table (lib/cfg*.c) -> heading (.Ss) of tandem.conf.5.
declare -A TABLES=(
	[root_keys]="Sections"
	[ike_keys]="ike"
	[proposal_keys]="ike.proposals"
	[secret_keys]="ike.secrets.NAME"
	[conn_keys]="ike.connections.NAME"
	[local_keys]="ike.connections.NAME.local"
	[remote_keys]="ike.connections.NAME.remote"
	[child_keys]="ike.connections.NAME.children.NAME"
	[sync_keys]="sync"
	[ha_keys]="ha"
	[group_keys]="ha.groups.NAME"
	[track_if_keys]="ha.groups.NAME.track_interfaces"
	[track_script_keys]="ha.groups.NAME.track_scripts"
)

# Plain text of a page: mandoc's ASCII output without overstriking.
render() {
	mandoc -T ascii "$1" | sed 's/.\x08//g'
}

# The body of section $2 (.Sh) of rendered text on stdin.
section() {
	awk -v s="$1" '/^[A-Z]/ { on = ($0 == s); next } on'
}

# Is word $1 (an option, a key) in stdin, not as part of a longer word?
has_word() {
	grep -qE -- "(^|[^[:alnum:]_-])$(printf '%s' "$1" |
	    sed 's/[.[\*^$]/\\&/g')([^[:alnum:]_-]|\$)"
}

page_of() {
	local p
	for p in "${PAGES[@]}"; do
		case $p in */"$1") echo "$p"; return 0 ;; esac
	done
	return 1
}

PAGES=("$@")
[ ${#PAGES[@]} -gt 0 ] || { echo "t_man.sh: no pages named" >&2; exit 2; }

# --- 1. lint ----------------------------------------------------------------
for p in "${PAGES[@]}"; do
	if [ ! -f "$p" ]; then
		fail "$p: missing"
		continue
	fi
	out=$(mandoc -T lint -W warning "$p" 2>&1)
	[ -z "$out" ] && ok || fail "mandoc -T lint $p:"$'\n'"$out"
	out=$(groff -mandoc -ww -z "$p" 2>&1)
	[ -z "$out" ] && ok || fail "groff -ww $p:"$'\n'"$out"
done

# --- 2. options ---------------------------------------------------------------

# Options a --help text shows: the usage line's, and those that begin an
# indented line of the option list (up to the description).
help_opts() {
	{
		sed -n '1s/^Usage: [^ ]*//p' "$1" | tr ' []|' '\n\n\n\n'
		grep -E '^ +-' "$1" | sed -E 's/^ +//; s/ {2,}.*//' |
		    tr ' ,' '\n\n'
	} | grep -E '^--?[[:alnum:]][[:alnum:]-]*' |
	    sed -E 's/^(--?[[:alnum:]][[:alnum:]-]*).*/\1/' | sort -u
}

# Options the OPTIONS section of a page lists as items (.It Fl ...).
page_opts() {
	awk '/^\.Sh / { on = ($2 == "OPTIONS"); next }
	    on && /^\.It / { print }' "$1" |
	    sed 's/\\-/-/g' | grep -oE 'Fl [^ ]+' | sed -E 's/^Fl /-/' |
	    sort -u
}

for prog in ikev2d syncd hamgrd haadm; do
	page=$(page_of "$prog.8") || { fail "no page for $prog"; continue; }
	[ -f "$page" ] || continue
	if ! "$B/$prog" --help >"$T/$prog.help" 2>&1; then
		fail "$prog --help failed"
		continue
	fi
	render "$page" | section OPTIONS >"$T/$prog.opts"
	for o in $(help_opts "$T/$prog.help"); do
		has_word "$o" <"$T/$prog.opts" && ok ||
		    fail "$page: OPTIONS does not document $o (in $prog --help)"
	done
	for o in $(page_opts "$page"); do
		has_word "$o" <"$T/$prog.help" && ok ||
		    fail "$page: documents $o, which $prog --help does not show"
	done
done

# haadm's commands: `haadm help` lists them as "  NAME   summary".
if page=$(page_of haadm.8) && [ -f "$page" ]; then
	"$B/haadm" help 2>/dev/null |
	    awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 }
		on && /^  [a-z]/ { print $1 }' | sort -u >"$T/cmds.help"
	awk '/^\.Sh / { on = ($2 == "COMMANDS"); next }
	    on && /^\.It Cm / { print $3 }' "$page" | sort -u >"$T/cmds.page"
	[ -s "$T/cmds.help" ] && ok || fail "haadm help lists no command"
	for c in $(comm -23 "$T/cmds.help" "$T/cmds.page"); do
		fail "$page: COMMANDS does not document '$c' (in haadm help)"
	done
	for c in $(comm -13 "$T/cmds.help" "$T/cmds.page"); do
		fail "$page: documents command '$c', which haadm help does not list"
	done
	[ -z "$(comm -3 "$T/cmds.help" "$T/cmds.page")" ] && ok
	# Each command's own usage ("haadm CMD --help": the "usage: haadm
	# CMD ..." line and its indented continuations): its options are in
	# the COMMANDS section.
	render "$page" | section COMMANDS >"$T/cmds.txt"
	for c in $(cat "$T/cmds.help"); do
		"$B/haadm" "$c" --help 2>&1 | awk -v c="$c" '
		    $0 ~ "^usage: haadm " c "( |$)" { on = 1; print; next }
		    on && /^ +\[/ { print; next } { on = 0 }' |
		    tr ' []|' '\n\n\n\n' |
		    grep -E '^--?[[:alpha:]][[:alnum:]-]*$' | sort -u \
		    >"$T/cmd.$c.opts"
		for o in $(cat "$T/cmd.$c.opts"); do
			has_word "$o" <"$T/cmds.txt" && ok ||
			    fail "$page: COMMANDS does not document $o of '$c' (haadm $c --help)"
		done
	done
fi

# --- 3. tandem.conf.5 against the schema ------------------------------------

# "table key type kw min max" for every row of every struct cfg_key table.
schema_rows() {
	awk '
	/static const struct cfg_key [a-z_]+\[\] = \{/ {
		t = $0; sub(/.*struct cfg_key /, "", t); sub(/\[.*/, "", t)
		buf = ""; on = 1; next
	}
	on && /^\};/ {
		on = 0
		while (match(buf, /\{ *"[^"]+",[^}]*\}/)) {
			e = substr(buf, RSTART + 1, RLENGTH - 2)
			buf = substr(buf, RSTART + RLENGTH)
			gsub(/[ \t]+/, " ", e)
			n = split(e, f, ",")
			for (i = 1; i <= n; i++)
				gsub(/^ +| +$/, "", f[i])
			key = f[1]; gsub(/"/, "", key)
			kw = "-"
			if (f[2] == "KT_ENUM") kw = f[n - 1]
			# { name, type, flags, FIELD(off, size) | off, size,
			#   min, max, kw, fn }: min and max are 4th and 3rd
			# from the end
			print t, key, f[2], kw, f[n - 3], f[n - 2]
		}
		next
	}
	on { buf = buf " " $0 }
	' lib/cfg*.c
}

# Source lines of the .Ss heading $2 in page $1, up to the next heading.
ss_body() {
	awk -v h="$2" '/^\.S[hs] / { on = ($0 == ".Ss " h); next } on' "$1"
}

# The item of key $2 in such a body: from ".It Ic KEY" to the next ".It Ic".
item_body() {
	awk -v k="$2" '/^\.It Ic / { on = ($3 == k); next }
	    /^\.S[hs] / { on = 0 } on' "$1" | sed 's/\\-/-/g; s/\\&//g'
}

if page=$(page_of tandem.conf.5) && [ -f "$page" ]; then
	schema_rows >"$T/rows"
	[ "$(wc -l <"$T/rows")" -gt 50 ] && ok ||
	    fail "schema parse found $(wc -l <"$T/rows") keys in lib/cfg*.c"
	for t in $(cut -d' ' -f1 "$T/rows" | sort -u); do
		if [ -z "${TABLES[$t]:-}" ]; then
			fail "lib/cfg*.c table $t: add it to TABLES in $0 and document it"
			continue
		fi
		h=${TABLES[$t]}
		ss_body "$page" "$h" >"$T/ss.$t"
		if [ ! -s "$T/ss.$t" ]; then
			fail "$page: no heading '.Ss $h' for $t"
			continue
		fi
		awk '/^\.It Ic / { print $3 }' "$T/ss.$t" | sort -u >"$T/doc.$t"
		awk -v t="$t" '$1 == t { print $2 }' "$T/rows" | sort -u \
		    >"$T/code.$t"
		for k in $(comm -23 "$T/code.$t" "$T/doc.$t"); do
			fail "$page: '$h' does not document key $k ($t)"
		done
		for k in $(comm -13 "$T/code.$t" "$T/doc.$t"); do
			fail "$page: '$h' documents $k, not a key of $t"
		done
		[ -z "$(comm -3 "$T/code.$t" "$T/doc.$t")" ] && ok
	done
	while read -r t k type kw min max; do
		h=${TABLES[$t]:-}
		[ -n "$h" ] && [ -s "$T/ss.$t" ] || continue
		item_body "$T/ss.$t" "$k" >"$T/item"
		if [ "$type" = KT_ENUM ]; then
			for w in $(sed -n "/ $kw\\[\\] = {/,/^};/p" lib/cfg*.c |
			    grep -oE '\{ *"[^"]+"' | tr -d '{" '); do
				has_word "$w" <"$T/item" && ok ||
				    fail "$page: $h $k: keyword '$w' not named"
			done
		fi
		if [ "$type" = KT_INT ] &&
		    [[ $min =~ ^-?[0-9]+$ && $max =~ ^[0-9]+$ ]]; then
			grep -qF -- "$min..$max" "$T/item" && ok ||
			    fail "$page: $h $k: range $min..$max not given"
		fi
	done <"$T/rows"
	render "$page" >"$T/conf.txt"
	for a in $(sed -n '/^static const struct alg algs\[\]/,/^};/p' \
	    lib/cfg_proposal.c | grep -oE '\{ *"[^"]+"' | tr -d '{" '); do
		has_word "$a" <"$T/conf.txt" && ok ||
		    fail "$page: algorithm keyword '$a' not documented"
	done
fi

# --- 3b. configurations shown in the pages validate -------------------------
# Every literal display (.Bd -literal) of a page that starts with a section
# ("ike = {", "sync = {", "ha = {") is a configuration: ikev2d -n must take
# it.
nex=0
for p in "${PAGES[@]}"; do
	[ -f "$p" ] || continue
	awk -v dir="$T" -v base="$(basename "$p")" '
	/^\.Bd -literal/ { on = 1; n++; f = dir "/ex." base "." n; next }
	on && /^\.Ed/ { on = 0; next }
	on { print > f }' "$p"
	for f in "$T"/ex."$(basename "$p")".*; do
		[ -f "$f" ] || continue
		head -1 "$f" | grep -qE '^(ike|sync|ha) = \{' || continue
		sed -i 's/\\(dq/"/g; s/\\-/-/g; s/\\&//g' "$f"
		nex=$((nex + 1))
		out=$("$B/ikev2d" -n -c "$f" 2>&1) && ok ||
		    fail "$p: example configuration does not validate: $out"
	done
done
[ $nex -gt 0 ] && ok || fail "no example configuration found in the pages"

# --- 4. the two-node sample ------------------------------------------------
# etc/tandem-hub-b.conf is node B of etc/tandem.conf: both valid, the same
# ike and sync sections (comments aside), and in ha only the lines that
# name the node or set a priority differ.

# Section $2 of file $1 without comments and blank lines.
conf_section() {
	sed -E 's/[[:space:]]*#.*//; /^[[:space:]]*$/d' "$1" |
	    awk -v s="$2" '$0 == s " = {" { on = 1 } on { print }
		on && /^};$/ { exit }'
}

A=etc/tandem.conf
HB=etc/tandem-hub-b.conf
if [ -f "$HB" ]; then
	for f in "$A" "$HB"; do
		out=$("$B/ikev2d" -n -c "$f" 2>&1) && ok ||
		    fail "$f does not validate: $out"
	done
	for s in ike sync; do
		conf_section "$A" "$s" >"$T/a.$s"
		conf_section "$HB" "$s" >"$T/b.$s"
		[ -s "$T/a.$s" ] && cmp -s "$T/a.$s" "$T/b.$s" && ok ||
		    fail "$HB: section $s differs from $A's:"$'\n'"$(diff \
		    "$T/a.$s" "$T/b.$s")"
	done
	conf_section "$A" ha | grep -vE '^[[:space:]]*(node|priority) =' \
	    >"$T/a.ha"
	conf_section "$HB" ha | grep -vE '^[[:space:]]*(node|priority) =' \
	    >"$T/b.ha"
	cmp -s "$T/a.ha" "$T/b.ha" && ok ||
	    fail "$HB: ha differs from $A's beyond node and priorities:"$'\n'"$(
	    diff "$T/a.ha" "$T/b.ha")"
else
	fail "$HB: missing"
fi

echo "t_man: $npass passed, $nfail failed"
[ $nfail -eq 0 ]
