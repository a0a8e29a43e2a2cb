-- shared values and arrays seen by several processes.
return {
  scenario = "lua-test-shared",
  timeout = "10s",
  actors = {
    main = function()
      local n = lab.value("int", 5)
      local x = lab.value("double", 0.5)
      local arr = lab.array("int", {1, 2, 3})
      local zeros = lab.array("double", 4)
      local kids = {}
      for i = 1, 4 do
        kids[i] = lab.fork(function()
          for _ = 1, 1000 do n:add(1) end
          x:add(0.25)
          arr[i % 3 + 1] = arr[i % 3 + 1] + 0  -- reads and writes
          zeros[i] = i / 2
        end)
      end
      for _ = 1, 4 do lab.wait() end
      print(("n %d x %.2f len %d sum %s"):format(n:get(), x:get(), #arr, table.concat(zeros:totable(), ",")))
      print("out of range: " .. select(2, pcall(function() return arr[4] end)))
      print("bad type: " .. select(2, pcall(lab.value, "string", 1)))
    end,
  },
  expect = {
    {output = {match = "^n 4005 x 1\\.50 len 3 sum 0\\.5,1\\.0,1\\.5,2\\.0$"}},
    {output = {match = "^out of range: .*index out of range"}},
    {output = {match = "^bad type: .*\"int\" or \"double\""}},
  },
}
