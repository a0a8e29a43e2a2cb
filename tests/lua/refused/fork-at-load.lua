-- Processes belong in actors, not in the file itself.
lab.fork(function() end)
return {}
