-- pools: apply_async, map, errors from tasks, objects made before the pool,
-- unsendable upvalues, and enough tasks for the collector to run in workers.
return {
  scenario = "lua-test-pool",
  timeout = "30s",
  actors = {
    main = function()
      local done = lab.value("int", 0)          -- made before the pool: workers share it
      local pool = lab.pool(2)
      local h = pool:apply_async(function(a, b) done:add(1); return a + b, "two" end, 20, 22)
      local sum, word = h:get()
      print("apply " .. sum .. " " .. word)
      local bad = pool:apply_async(function() error("task failed on purpose") end)
      print("error: " .. select(2, pcall(bad.get, bad)))
      local f = function() end
      print("upvalue: " .. select(2, pcall(pool.apply_async, pool, function() return f end)))
      local squares = pool:map(function(v) done:add(1); return v * v end, {1, 2, 3, 4})
      print("map " .. table.concat(squares, " "))
      -- 300 tasks making garbage: workers must survive their collector
      local many = {}
      for i = 1, 300 do many[i] = i end
      local out = pool:map(function(v) local s = {} for k = 1, 50 do s[k] = ("x"):rep(k) end return #s[50] + v end, many)
      print("many " .. out[1] .. " " .. out[300])
      print("timeout: " .. tostring(select(2, pool:apply_async(function() lab.sleep(1) end):get(0.1))))
      pool:close()
      pool:join()
      print("done " .. done:get())
    end,
  },
  expect = {
    {output = {match = "^apply 42 two$"}},
    {output = {match = "^error: .*task failed on purpose"}},
    {output = {match = "^upvalue: .*upvalue 'f' cannot be sent"}},
    {output = {match = "^map 1 4 9 16$"}},
    {output = {match = "^many 51 350$"}},
    {output = {match = "^timeout: timeout$"}},
    {output = {match = "^done 5$"}},
    {processes = {total = 3}},
  },
}
