# Sourced by scripts/aha and scripts/spark-submit.sh. glibc hands libtorch's multi-MB tensors back
# to the kernel when DJL frees them at the end of a step, so the next step page-faults them in
# again: training ran at about two thirds of its speed. Keep them in the heap (mmap only above 32 MiB, trim only
# above 256 MiB free). Set both or neither: either one alone fixes glibc's mmap threshold at 128 KiB,
# which is slower still. Figures: docs/benchmarks.md, "Model".
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"
