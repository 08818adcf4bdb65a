#!/usr/bin/env bash
# Checks that BINARY needs nothing but glibc ≥ MAX (default 2.31):
#   Scripts/release/check-portable.sh BINARY [MAX]
# - its NEEDED libraries are glibc's own (libc, libm, libpthread, libdl, librt, libutil, the loader);
# - no symbol it imports has a version newer than GLIBC_MAX (nor GLIBC_ABI_DT_RELR);
# - it has no packed relative relocations (DT_RELR, which needs glibc 2.36).
# Prints one line per finding and exits 1 if there is any; prints a summary and exits 0 otherwise.
set -euo pipefail
binary=${1:?usage: check-portable.sh BINARY [MAX]}
max=${2:-2.31}
problems=0

allowed='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|ld-linux-x86-64\.so\.2)$'
needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
for library in $needed; do
  if ! [[ $library =~ $allowed ]]; then
    echo "check-portable: needs $library, which is not part of glibc"
    problems=1
  fi
done

if readelf -d "$binary" | grep -qE '\((RELR|RELRSZ|RELRENT)\)'; then
  echo "check-portable: has packed relative relocations (DT_RELR needs glibc 2.36)"
  problems=1
fi

newest=0
# objdump -T prints the version each imported symbol binds, e.g. "(GLIBC_2.3.4) __memcpy_chk".
while read -r version symbol; do
  if [ "$version" = GLIBC_ABI_DT_RELR ]; then
    echo "check-portable: binds GLIBC_ABI_DT_RELR (glibc 2.36)"
    problems=1
    continue
  fi
  number=${version#GLIBC_}
  if [ "$(printf '%s\n%s\n' "$number" "$max" | sort -V | tail -1)" != "$max" ]; then
    echo "check-portable: $symbol binds GLIBC_$number, newer than $max"
    problems=1
  fi
  [ "$(printf '%s\n%s\n' "$number" "$newest" | sort -V | tail -1)" = "$number" ] && newest=$number
done < <(objdump -T "$binary" | sed -n 's/.*\*UND\*[^(]*(\(GLIBC_[^)]*\)) *\(.*\)$/\1 \2/p' | sort -u)
# readelf -V lists the version requirements themselves (GLIBC_ABI_DT_RELR has no symbol).
if readelf -V "$binary" | grep -q 'GLIBC_ABI_DT_RELR'; then
  echo "check-portable: requires GLIBC_ABI_DT_RELR (glibc 2.36)"
  problems=1
fi

if [ "$problems" -ne 0 ]; then exit 1; fi
echo "check-portable: $binary needs only $(echo $needed | tr ' ' ','); newest glibc symbol version $newest (limit $max)"
