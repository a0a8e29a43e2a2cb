-- The negative control of values.lua: the workers enter without the lock,
-- so their sections overlap, and the bounds below are broken on purpose.
-- Run by tests/integration/lua_cli_test.cc, which expects each to fail.
return {
  scenario = "lua-test-values-control",
  timeout = "10s",
  actors = {
    main = function()
      local go = lab.event()
      for _ = 1, 3 do
        lab.fork(function()
          go:wait()
          print("enter")
          lab.sleep(0.05)
          print("leave")
        end, {name = "worker"})
      end
      go:set()
      for _ = 1, 3 do lab.wait() end
      lab.measure("answer", 42)
    end,
  },
  expect = {
    {sections = {enter = "^enter$", leave = "^leave$", by = "worker", max_inside = 1}},
    {value = {name = "answer", max = 41}},
    {compare = {left = "answer", op = "<", right = "40"}},
  },
}
