-- A pool whose making fails halfway (the process cap refuses the third
-- worker's fork) stops and reaps the workers it had already forked, and a
-- pool closed by scope (<close>) terminates its workers: nothing is left
-- for the lab to kill.
return {
  scenario = "lua-test-pool-cleanup",
  timeout = "10s",
  limits = {processes = 3},  -- main and two workers
  actors = {
    main = function()
      local ok, err = pcall(lab.pool, 4)
      print("refused: " .. tostring(not ok) .. " " .. tostring(err):match("fork of worker %d+: [^\n]*"))
      do
        local pool <close> = lab.pool(2)
        print("squares " .. table.concat(pool:map(function(v) return v * v end, {2, 3}), " "))
      end
      print("done")
    end,
  },
  expect = {
    {output = {match = "^refused: true fork of worker 3: Resource temporarily unavailable$", by = "main"}},
    {output = {match = "^squares 4 9$"}},
    {killed = {process = "main.1", sig = "SIGKILL"}},
    {reaped = {process = "main.1", by = "main"}},
    {killed = {process = "main.4", sig = "SIGKILL"}},
    {reaped = {process = "main.4", by = "main"}},
    {output = {match = "^done$"}},
    -- and no_leaks, judged by default: no worker outlived main
  },
}
