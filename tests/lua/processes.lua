-- lab's process functions, each checked against what the lab saw.
return {
  scenario = "lua-test-processes",
  timeout = "10s",
  actors = {
    main = function()
      -- fork names: PARENT.N by default (counting unnamed children), or the given name
      local a = lab.fork(function() return 3 end)
      local b = lab.fork(function() lab.exit(4) end, {name = "named"})
      local pid, st = lab.waitpid(a)
      print(("a %d code %d"):format(pid, st.code))
      pid, st = lab.waitpid(b)
      print(("named code %d"):format(st.code))
      -- a child killed by a signal reports it
      local c = lab.fork(function() lab.pause() end)
      lab.kill(c, "SIGTERM")
      pid, st = lab.wait()
      print(("c signal %s core %s"):format(st.signal, tostring(st.core)))
      -- waitpid on a process that is not our child fails with ECHILD
      local got, err = lab.waitpid(1)
      print("not a child: " .. tostring(got) .. " " .. err)
      -- nohang: 0 while the child runs
      local d = lab.fork(function() lab.sleep(0.2) end)
      print("nohang " .. lab.waitpid(d, {nohang = true}))
      lab.waitpid(d)
      -- getpid/getppid agree with the lab; the child reports both
      local e = lab.fork(function() print(("child %d of %d"):format(lab.getpid(), lab.getppid())) end)
      lab.waitpid(e)
      -- exec replaces the process image
      local f = lab.fork(function() lab.exec({"echo", "exec works"}) end)
      lab.waitpid(f)
      local g = lab.fork(function()
        local ok, why = lab.exec({"/nonexistent/program"})
        print("exec failed: " .. why)
      end)
      lab.waitpid(g)
      -- nice and setsid, seen at a checkpoint
      local h = lab.fork(function()
        lab.nice(7)
        lab.setsid()
        lab.checkpoint("niced")
      end, {name = "nicer"})
      lab.waitpid(h)
      print("done")
    end,
  },
  expect = {
    {output = {match = "^a {pid:main.1} code 3$", by = "main"}},
    {output = {match = "^named code 4$"}},
    {exit = {process = "named", code = 4}},
    {output = {match = "^c signal SIGTERM core false$"}},
    {killed = {process = "main.2", sig = "SIGTERM"}},
    {output = {match = "^not a child: nil waitpid 1: No child processes \\(ECHILD\\)$"}},
    {output = {match = "^nohang 0$"}},
    {output = {match = "^child {pid:main.4} of {pid:main}$", by = "main.4"}},
    {output = {match = "^exec works$", by = "main.5"}},
    {output = {match = "^exec failed: exec /nonexistent/program: No such file or directory \\(ENOENT\\)$"}},
    function(t)
      local cp = t:checkpoint("niced")
      local pid = t:pid("nicer")
      local p = cp.by_pid[pid]
      if not p then return false, "nicer was not in the checkpoint" end
      return p.nice == 7 and p.sid == pid, ("nice %d, session %d (pid %d)"):format(p.nice, p.sid, pid)
    end,
    {output = {match = "^done$"}},
    -- A forked actor is called by its actor name everywhere: in the timeline,
    -- and in /proc (what ps shows), as the checkpoint saw it.
    function(t)
      for _, p in ipairs(t:processes()) do
        if p.actor == "main.1" and p.name ~= "main.1" then
          return false, "main.1 is called " .. p.name .. " in the timeline"
        end
        if p.actor == "main.5" and p.name ~= "echo" then
          return false, "main.5 exec'd echo but is called " .. p.name
        end
      end
      local cp = t:checkpoint("niced")
      local p = cp.by_pid[t:pid("nicer")]
      if not p or p.name ~= "nicer" then return false, "ps called nicer " .. tostring(p and p.name) end
      return true, "each actor goes by its own name"
    end,
  },
}
