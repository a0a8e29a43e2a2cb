# A hostile submission: for 3 seconds it looks for other runs' copies of a
# submission and overwrites the victim's note.txt wherever it can. It touches
# only a note.txt that says "intact", so a regression harms no other test.
here=$(pwd -P)
saw=0
wrote=0
tries=0
while [ $tries -lt 60 ]; do
  for d in /tmp/proclab-work-*; do
    [ "$d" = "$here" ] && continue
    [ -d "$d" ] || continue
    saw=1
    if grep -qsx intact "$d/note.txt"; then
      echo hacked > "$d/note.txt" && wrote=$((wrote + 1))
    fi
  done
  tries=$((tries + 1))
  sleep 0.05
done
echo "saw $saw wrote $wrote"
