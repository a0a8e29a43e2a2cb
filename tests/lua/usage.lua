-- What each process used, in t:processes(): a busy actor and an idle one,
-- told apart by their CPU (each is the other's negative control), and the
-- same figures through the `cpu` expectation.
return {
  scenario = "lua-test-usage",
  timeout = "20s",
  actors = {
    main = function()
      local idle = lab.fork(function() lab.sleep(0.3) end, {name = "idle"})
      local busy = lab.fork(function()
        local x = 0
        for i = 1, 30000000 do x = x + i % 7 end
        print("busy " .. x)
      end, {name = "busy"})
      lab.waitpid(idle)
      lab.waitpid(busy)
    end,
  },
  expect = {
    function(t)
      local used = {}
      for _, p in ipairs(t:processes()) do
        if not p.usage then return false, "no usage for pid " .. p.pid end
        if p.usage.cpu_us ~= p.usage.user_us + p.usage.system_us then
          return false, "cpu_us is not user + system"
        end
        if #p.usage.threads ~= 1 then return false, "threads: " .. #p.usage.threads end
        used[p.role or p.name] = p.usage.cpu_us
      end
      if not used.busy or used.busy < 100000 then
        return false, "busy used " .. tostring(used.busy) .. "us"
      end
      if not used.idle or used.idle > 50000 then
        return false, "idle used " .. tostring(used.idle) .. "us"
      end
      return true, ("busy %dus, idle %dus"):format(used.busy, used.idle)
    end,
    {cpu = {process = "busy", min = "100ms"}},
    {cpu = {process = "idle", max = "50ms"}},
    {rss = {process = "busy", max = "512MiB"}},
  },
}
