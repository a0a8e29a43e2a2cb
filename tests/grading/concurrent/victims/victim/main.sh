# Waits while the other grading's attacker looks for its copy, then prints
# the note it handed in.
sleep 4
cat note.txt
