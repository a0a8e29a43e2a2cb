-- lab.measure and lab.lock's own values (NAME_wait, NAME_hold), read by
-- value, compare, sections and t:values(). Three workers start together on
-- one lock: the first holds it 50ms, so the others wait.
local function holds_of(t)
  local v = t:values("cs_hold")
  if #v ~= 3 then return false, "expected 3 cs_hold values, got " .. #v end
  for _, x in ipairs(v) do
    if not (x.value >= 0.04 and x.pid > 1 and x.t > 0 and x.name == "worker") then
      return false, ("a bad value: %s by %s (pid %d) at %s"):format(x.value, x.name, x.pid, x.t)
    end
  end
  return true, ("3 holds, the first %.3fs by pid %d"):format(v[1].value, v[1].pid)
end

return {
  scenario = "lua-test-values",
  timeout = "10s",
  actors = {
    main = function()
      local lock = lab.lock("cs")
      local go = lab.event()
      for _ = 1, 3 do
        lab.fork(function()
          go:wait()
          lock:acquire()
          print("enter")
          lab.sleep(0.05)
          print("leave")
          lock:release()
        end, {name = "worker"})
      end
      go:set()
      for _ = 1, 3 do lab.wait() end
      print("printed 7")
      lab.measure("answer", 42)
      lab.measure("answer", 41.5)
      print("measure bad name: " .. select(2, pcall(lab.measure, "no good", 1)))
    end,
  },
  -- measure: in a Lua table, as in YAML
  measure = {{name = "printed", match = "^printed (?<value>\\d+)$", by = "main"}},
  expect = {
    {value = {name = "printed", min = 7, max = 7}},
    {compare = "answer < printed * 6"},
    {value = {name = "answer", stat = "last", min = 41.5, max = 41.5}},
    {value = {name = "answer", stat = "count", min = 2, max = 2}},
    {value = {name = "cs_hold", min = 0.04}},
    {value = {name = "cs_wait", stat = "count", min = 3, max = 3}},
    {compare = {left = "max(cs_wait)", op = ">", right = "0.03"}},
    {compare = {left = "sum(cs_hold)", op = ">=", right = "3 * 0.04"}},
    {sections = {enter = "^enter$", leave = "^leave$", by = "worker", max_inside = 1}},
    {output = {match = "^measure bad name: .*'no good' is not a value name"}},
    holds_of,
  },
}
