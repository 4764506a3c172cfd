#!/usr/bin/env bash
# Rewrites the code's citations of the old external reference (API.md §…, DESIGN.md §…, ../shared/DESIGN.md) into
# citations of the repository's own docs (docs/upbit.md#…, docs/design.md#…), as listed in docs/citation-map.tsv.
#
# One-shot tool: run it once, at the end, after the other edits have landed; review `git diff`; commit; then DELETE
# this script and docs/citation-map.tsv (they only describe the migration and are not meant to stay in the repo).
#
# Matching is by file + exact citation text, not by line number, so lines that moved since the map was made are
# still found. Every occurrence of a row's citation text in its file is replaced (within one file the same text
# always maps to the same replacement; the script refuses a map that says otherwise). Longer citation texts are
# applied first, and a citation text only matches when it is not followed by more section digits, so
# "API.md §4" never eats the start of "API.md §4.4". Running it twice is harmless: the second run finds nothing.
#
# Usage: docs/rewrite-citations.sh [--dry-run]
#   --dry-run   print the diff it would make (applied to scratch copies), touch nothing
# Needs bash, GNU sed and grep. Exit status: 0 when every row was applied (or already applied) and no citation of
# the old reference is left; 1 otherwise.
set -euo pipefail
export LC_ALL=C # byte-wise matching: '§' and '–' are multi-byte in UTF-8 and must be matched literally

cd "$(dirname "$0")/.."
map=docs/citation-map.tsv
dry=0
[[ "${1:-}" == "--dry-run" ]] && dry=1

[[ -f "$map" ]] || { echo "rewrite-citations: $map not found" >&2; exit 1; }

# ERE-escape a literal for the pattern side, and escape the replacement side, of a sed s/// with '/' as delimiter.
esc_pattern() { printf '%s' "$1" | sed -e 's/[]\/$*.^+?(){}|[]/\\&/g'; }
esc_replacement() { printf '%s' "$1" | sed -e 's/[\/&]/\\&/g'; }

# Unique (file, citation, replacement) triples, longest citation first; the line number is informational only.
triples=$(tail -n +2 "$map" \
  | awk -F '\t' 'NF >= 4 && !seen[$1 FS $3 FS $4]++ { print length($3) "\t" $1 "\t" $3 "\t" $4 }' \
  | sort -t $'\t' -k1,1nr -k2,2 | cut -f 2-)

# The same citation text in one file must not have two different replacements.
conflicts=$(printf '%s\n' "$triples" | cut -f 1,2 | sort | uniq -d)
if [[ -n "$conflicts" ]]; then
  echo "rewrite-citations: the map gives one citation two replacements in the same file:" >&2
  printf '  %s\n' "$conflicts" >&2
  exit 1
fi

status=0
applied=0
work=""
if [[ $dry -eq 1 ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

# The file to edit: the real one, or (dry run) a scratch copy, so rows are applied in order exactly as for real.
target() {
  if [[ $dry -eq 0 ]]; then
    printf '%s' "$1"
    return
  fi
  if [[ ! -f "$work/$1" ]]; then
    mkdir -p "$work/$(dirname "$1")"
    cp "$1" "$work/$1"
  fi
  printf '%s' "$work/$1"
}

touched=()
while IFS=$'\t' read -r file citation replacement; do
  [[ -n "$file" ]] || continue
  if [[ ! -f "$file" ]]; then
    echo "missing file: $file (citation '$citation')" >&2
    status=1
    continue
  fi

  pattern="$(esc_pattern "$citation")([^0-9.]|[.]([^0-9]|\$)|\$)"
  t=$(target "$file")
  count=$(grep -cE -- "$pattern" "$t" || true)
  if [[ "$count" -eq 0 ]]; then
    echo "not found (already applied, or the text changed): $file: '$citation'"
    continue
  fi

  sed -E -i -e "s/$pattern/$(esc_replacement "$replacement")\\1/g" "$t"
  applied=$((applied + count))
  touched+=("$file")
done <<< "$triples"

if [[ $dry -eq 1 ]]; then
  for f in $(printf '%s\n' "${touched[@]}" | sort -u); do
    diff -u "$f" "$work/$f" --label "a/$f" --label "b/$f" || true
  done
  echo "rewrite-citations: $applied line(s) would be rewritten (dry run, nothing changed)"
else
  echo "rewrite-citations: $applied line(s) rewritten"
fi

if [[ $dry -eq 0 ]]; then
  # Anything left that still points outside the repository?
  left=$(grep -rnE 'API\.md|DESIGN\.md|\.\./shared' src tests bench perf-reports README.md \
    --include='*.cs' --include='*.md' --include='*.csproj' --include='*.props' --include='*.json' \
    --exclude-dir=bin --exclude-dir=obj 2>/dev/null || true)
  if [[ -n "$left" ]]; then
    echo "rewrite-citations: citations of the old reference are still present:" >&2
    printf '%s\n' "$left" >&2
    status=1
  fi
fi

exit $status
