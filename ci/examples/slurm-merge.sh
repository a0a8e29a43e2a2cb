#!/bin/bash
# Merges the results of slurm-array.sh once every task has ended.
#SBATCH --job-name=proclab-merge
#SBATCH --time=00:10:00
#SBATCH --output=proclab-merge-%j.out
set -u
RESULTS=${RESULTS:-$PWD/results}
mkdir -p "$RESULTS/merged"
proclab merge "$RESULTS"/shard-*.json --report junit:"$RESULTS/merged/junit.xml" --report json:"$RESULTS/merged/results.json" --report html:"$RESULTS/merged/html"
