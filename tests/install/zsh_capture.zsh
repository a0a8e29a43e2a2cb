# What zsh's completion offers, as a user pressing TAB would get it: an
# interactive zsh on a pseudo-terminal (zpty) with the completion under test
# first in fpath, and compadd wrapped to print every match it is given.
# usage: zsh -f zsh_capture.zsh FPATH_DIR 'proclab run --net' ...
# prints, for each line typed: <query>LINE, then one match per line.
# Each marker is typed split in two ('<rea''dy>'), so the terminal's echo of
# the typed line never matches what is waited for; each TAB is waited for
# before more is typed, since ZLE skips completing while input is pending.
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "PROMPT=''; RPROMPT=''; fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
# No listing: a long list would stop at "do you wish to see all N possibilities?".
zpty -w z "unsetopt auto_list auto_menu list_beep beep"
zpty -w z 'compadd () { builtin compadd "$@"; local -a h; builtin compadd -O h "$@"; print -r -- "<hit>"${^h}; }'
zpty -w z "capture-tab () { zle complete-word; print -r -- '<comp''leted>'; }; zle -N capture-tab; bindkey '^I' capture-tab"
shift
for typed in "$@"; do
  zpty -w z "print '<rea''dy>'"
  zpty -r z line '*<ready>*' || exit 4
  zpty -w -n z "$typed"$'\t'
  out=''
  zpty -r z out '*<completed>*' || exit 4
  zpty -w -n z $'\C-u'"print '<do''ne>'"$'\n'
  zpty -r z line '*<done>*' || exit 4
  print -r -- "<query>$typed"
  print -r -- "$out" | tr -d '\r' | grep -o '<hit>[^<]*' | sed 's/^<hit>//; s/ *$//' | sort -u
done
zpty -d z
