-- Scenario files are shared between people: no shell.
os.execute("touch /tmp/owned")
return {}
