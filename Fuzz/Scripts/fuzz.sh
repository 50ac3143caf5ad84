#!/bin/sh
# Runs LabelKit's libFuzzer targets one after the other and prints a summary table.
#
#   Fuzz/Scripts/fuzz.sh SECONDS TARGET...       (from the repository root; `make fuzz` calls it)
#
# Each target runs for SECONDS with its own -max_len and dictionary, -rss_limit_mb=2048,
# -malloc_limit_mb=512 (no single allocation may reach 512 MiB on inputs this small) and
# -timeout=10. New inputs go to Fuzz/.work/corpus/<target> (kept between runs, ignored by
# git); the seeds in Fuzz/Corpus/<target> are read, never written. A crash, leak, timeout
# or out-of-memory input is saved under Fuzz/.work/artifacts/<target>/ and printed in
# base64; the script then exits with status 1 after the remaining targets have run.
# FUZZ_BIN overrides the directory of the binaries (Fuzz/.build/release).
set -u
# Swift's own crash backtracer would take SIGABRT / SIGILL before libFuzzer could save the input.
export SWIFT_BACKTRACE=enable=no
seconds=$1
shift
bin=${FUZZ_BIN:-Fuzz/.build/release}
work=Fuzz/.work
log=$work/logs
mkdir -p "$log"
summary=""
failed=0
for target in "$@"; do
    case $target in
        FuzzLabelStudioRLE) max_len=4096 dict=rle.dict ;;
        FuzzCOCORLE) max_len=4096 dict=coco.dict ;;
        FuzzExactJSON) max_len=8192 dict=json.dict ;;
        FuzzLabelStudioTask) max_len=32768 dict=labelstudio.dict ;;
        FuzzIIIFRequest) max_len=256 dict=iiif.dict ;;
        FuzzImageHeader) max_len=16384 dict=image.dict ;;
        *) echo "fuzz: unknown target $target" >&2; exit 2 ;;
    esac
    if [ ! -x "$bin/$target" ]; then
        echo "fuzz: $bin/$target is missing (cd Fuzz && swift build -c release --sanitize=fuzzer)" >&2
        exit 2
    fi
    mkdir -p "$work/corpus/$target" "$work/artifacts/$target"
    echo "== $target: ${seconds}s, -max_len=$max_len, -dict=Fuzz/Dictionaries/$dict"
    "$bin/$target" "$work/corpus/$target" "Fuzz/Corpus/$target" \
        -max_total_time="$seconds" -max_len="$max_len" -dict="Fuzz/Dictionaries/$dict" \
        -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$target/" >"$log/$target.log" 2>&1
    status=$?
    # The last status line ("#N DONE cov: C ft: F corp: ...") and the final stats.
    line=$(grep -E '^#[0-9]+' "$log/$target.log" | tail -n 1)
    cov=$(echo "$line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$line" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log/$target.log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log/$target.log")
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log/$target.log")
    result=ok
    if [ $status -ne 0 ]; then
        result="FAILED ($status)"
        failed=1
        grep -E 'ERROR: libFuzzer|fuzz invariant failed|Fatal error|SUMMARY' "$log/$target.log" | head -n 5
        for artifact in $(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log/$target.log"); do
            echo "  artifact $artifact (base64): $(base64 -w0 "$artifact")"
        done
    fi
    echo "  stat::number_of_executed_units: ${execs:-?}  exec/s: ${rate:-?}  cov: ${cov:-?}  ft: ${ft:-?}  corpus: ${corp:-?}  peak RSS: ${rss:-?} MB  $result"
    summary="$summary$(printf '%-20s %12s %8s %6s %7s %7s  %s' "$target" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result")
"
done
printf '\n%-20s %12s %8s %6s %7s %7s  %s\n' target executions exec/s cov ft corpus result
printf '%s' "$summary"
echo "(logs in $log/)"
exit $failed
