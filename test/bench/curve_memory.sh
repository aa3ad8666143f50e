#!/bin/bash
# Memory of survival_curve over one large summary (run by run_bench.sh after
# the cancel lateness; prints a markdown section). The summary of ROWS
# timestamp spells, nearly every duration distinct, is stored twice: in a
# column of the default storage (compressed, so read whole) and in a column
# with STORAGE EXTERNAL (uncompressed, so read in slices). While the query
# counts the curve's rows, a sampler reads the backend's private resident
# memory (RssAnon in /proc/<pid>/status) every few milliseconds; the peak
# less the value before the query is what survival_curve held. Shared
# buffers, which VmHWM would count as they are touched, are not private and
# not counted. Target: under about 200 MB at 10 million entries.
#   curve_memory.sh DB ROWS
set -euo pipefail
DB=$1
ROWS=$2
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat >"$WORK/sample.sh" <<'EOF'
# sample.sh PID OUT: the largest RssAnon (kB) of PID until it is told to stop
max=0
stop=0
trap 'stop=1' TERM
while [ "$stop" = 0 ]; do
	v=$(sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null || true)
	[ -n "$v" ] && [ "$v" -gt "$max" ] && max=$v
	sleep 0.005
done
echo "$max" >"$2"
EOF

"${PSQL[@]}" >/dev/null <<EOF
DROP TABLE IF EXISTS curve_memory;
CREATE TABLE curve_memory (storage text, s survival);
ALTER TABLE curve_memory ALTER COLUMN s SET STORAGE EXTERNAL;
INSERT INTO curve_memory
SELECT 'external', tenure_survival(tstzrange(lo, CASE WHEN random() < 0.7 THEN lo + random() * interval '2000 days' END),
                                   timestamptz '2030-01-01 00:00+00')
FROM (SELECT timestamptz '2015-01-01 00:00+00' + random() * interval '3650 days' AS lo
      FROM generate_series(1, $ROWS) OFFSET 0) g;
ALTER TABLE curve_memory ALTER COLUMN s SET STORAGE EXTENDED;
-- through text, so that the value is built afresh and compressed on the way in
INSERT INTO curve_memory SELECT 'extended', s::text::survival FROM curve_memory;
EOF

echo
echo "## survival_curve memory"
echo
echo "Peak private memory (RssAnon) of the backend over counting the rows of survival_curve(s), for"
echo "one stored summary of $ROWS timestamp spells, less its value before. Target: under about"
echo "200 MB at 10 million entries."
echo
echo "| storage | entries | stored MB | compressed | peak growth MB |"
echo "|---|--:|--:|---|--:|"
for storage in extended external; do
	"${PSQL[@]}" <<EOF
SELECT pg_column_size(s) AS size, coalesce(pg_column_compression(s), 'no') AS comp
FROM curve_memory WHERE storage = '$storage' \\gset
SELECT pg_backend_pid() AS pid,
	(regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'RssAnon:\s+(\d+) kB'))[1] AS anon0 \\gset
\\setenv CURVE_PID :pid
\\! bash $WORK/sample.sh "\$CURVE_PID" $WORK/peak & echo \$! >$WORK/sampler
SELECT count(*) AS entries FROM curve_memory, survival_curve(s) WHERE storage = '$storage' \\gset
\\! kill \$(cat $WORK/sampler); while [ ! -s $WORK/peak ]; do sleep 0.01; done
\\set peak \`cat $WORK/peak\`
\\! rm -f $WORK/peak
SELECT format('| %s | %s | %s | %s | %s |', '$storage', :'entries',
	round(:'size'::numeric / 1048576, 1), :'comp',
	round((:'peak'::numeric - :'anon0'::numeric) / 1024, 1));
EOF
done
"${PSQL[@]}" -c "DROP TABLE curve_memory" >/dev/null
