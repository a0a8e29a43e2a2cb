#!/bin/bash
# A Slurm job array: 4 tasks numbered 1-4. --shard auto takes the index from
# SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN (and the step, if any) and
# the count from SLURM_ARRAY_TASK_COUNT. Submit with the merge after it:
#   jid=$(sbatch --parsable ci/examples/slurm-array.sh)
#   sbatch --dependency=afterany:$jid ci/examples/slurm-merge.sh
#SBATCH --job-name=proclab
#SBATCH --array=1-4
#SBATCH --cpus-per-task=2
#SBATCH --time=00:30:00
#SBATCH --output=proclab-%A_%a.out
set -u
RESULTS=${RESULTS:-$PWD/results}
mkdir -p "$RESULTS"
# Status 1 (a scenario failed) is a result, not a failed task.
proclab run --shard auto --report json:"$RESULTS/shard-$SLURM_ARRAY_TASK_ID.json" || test $? -eq 1
