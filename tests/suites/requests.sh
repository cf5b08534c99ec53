#!/bin/sh
# requests.sh BUILD - the tool and .elfboot-requests: `config show` (text and
# --json) lists each record, `config check` says which this loader answers
# and simulates the load with them, and damaged sections (a record's magic,
# the section's size) are one clear error from check and image alike.
# Prints PASS/FAIL lines.
set -u
B=${1:-build}
E=$(cd "$B" && pwd)/elfboot
K=$(cd "$B/kernels" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1

SUITE=requests
. "$(dirname "$0")/../suite-lib.sh" # ok, bad, t_err
# has NAME FILE REGEX: FILE has a line matching REGEX.
has() {
	if grep -q -- "$3" "$2"; then ok "$1"; else bad "$1" "no '$3' in: $(tr '\n' '|' < "$2" | cut -c1-300)"; fi
}

# show: every record with id, name, revision and flags; none for k_default.
"$E" config show "$K/k_requests" > "$tmp/show" 2>&1
has "show: count" "$tmp/show" "^requests: 3 in .elfboot-requests$"
has "show: TIMESTAMPS" "$tmp/show" "TIMESTAMPS *id 0x6e1f3b0c8a2d5e04 revision 0 flags 0x0: answered by this loader$"
has "show: revision 7" "$tmp/show" "TIMESTAMPS *id 0x6e1f3b0c8a2d5e04 revision 7 flags 0x0: not answered (revision above 0)$"
has "show: unknown id" "$tmp/show" "unknown *id 0x6e1f3b0c8a2d5eff revision 0 flags 0x0: not answered (unknown id)$"
"$E" config show "$K/k_default" > "$tmp/show0" 2>&1
has "show: no section" "$tmp/show0" "^requests: 0 in .elfboot-requests (none)$"

# --json: parses, and the array holds the three records in section order.
"$E" config show --json "$K/k_requests_pie" > "$tmp/json" 2>&1
if python3 - "$tmp/json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["requests"]
assert [(x["name"], x["revision"]) for x in r] == \
    [("TIMESTAMPS", 7), ("unknown", 0), ("TIMESTAMPS", 0)], r
assert r[1]["id"] == "0x6e1f3b0c8a2d5eff" and all(x["flags"] == 0 for x in r)
assert [x["answered"] for x in r] == [False, False, True], r
PY
then ok "show --json: requests"; else bad "show --json: requests" "$(cat "$tmp/json" | tr '\n' ' ' | cut -c1-300)"; fi
"$E" config show --json "$K/k_default" > "$tmp/json0" 2>&1
if python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["requests"] == []' "$tmp/json0"
then ok "show --json: empty list"; else bad "show --json: empty list"; fi

# check: the simulated load answers TIMESTAMPS rev 0 with a response after
# boot info; the others are named with the reason they stay 0.
for k in k_requests k_requests_pie; do
	"$E" config check "$K/$k" > "$tmp/check" 2> "$tmp/check.err"
	has "check $k: response area" "$tmp/check" "responses *0x[0-9a-f]*, 48 bytes (after boot info)"
	has "check $k: answered" "$tmp/check" "revision 0 flags 0x0: answered, response at 0x"
	has "check $k: too new" "$tmp/check" "revision 7 flags 0x0: not answered (revision above 0)"
	has "check $k: unknown" "$tmp/check" "revision 0 flags 0x0: not answered (unknown id)"
	if [ -s "$tmp/check.err" ]; then bad "check $k: quiet" "$(head -2 "$tmp/check.err")"; else ok "check $k: quiet"; fi
done

# Damaged sections: patch k_requests (record 1's magic; the section's size).
python3 - "$K/k_requests" "$tmp" <<'PY'
import struct, sys
src, out = sys.argv[1], sys.argv[2]
f = bytearray(open(src, "rb").read())
shoff, = struct.unpack_from("<Q", f, 0x28)
shnum, shstrndx = struct.unpack_from("<HH", f, 0x3c)
def sh(i): return shoff + 64 * i
stroff, = struct.unpack_from("<Q", f, sh(shstrndx) + 24)
for i in range(shnum):
    name, = struct.unpack_from("<I", f, sh(i))
    if f[stroff + name:].split(b"\0")[0] == b".elfboot-requests":
        addr, off, size = struct.unpack_from("<QQQ", f, sh(i) + 16)
        g = bytearray(f)
        struct.pack_into("<Q", g, off + 32, 0x0123456789abcdef)
        open(out + "/badmagic", "wb").write(g)
        open(out + "/badmagic.addr", "w").write("0x%x" % (addr + 32))
        g = bytearray(f)
        struct.pack_into("<Q", g, sh(i) + 32, size + 8)
        open(out + "/badsize", "wb").write(g)
PY
a=$(cat "$tmp/badmagic.addr" 2>/dev/null)
t_err "check: bad magic" "badmagic: .elfboot-requests: record 1 at $a has magic 0x123456789abcdef, not 0x5351455242464c45" \
	"$E" config check "$tmp/badmagic"
t_err "show: bad magic" ".elfboot-requests: record 1 at $a has magic" "$E" config show "$tmp/badmagic"
t_err "check: bad size" ".elfboot-requests: 0x[0-9a-f]*+0x68 flags 0x[0-9a-f]* type 1: not SHF_ALLOC, 8-aligned, <= 64 32-byte records" \
	"$E" config check "$tmp/badsize"
t_err "image: bad magic" "record 1 at $a has magic" "$E" image -o "$tmp/bad.img" "$tmp/badmagic"
if [ -e "$tmp/bad.img" ]; then bad "image: no file left"; else ok "image: no file left"; fi
