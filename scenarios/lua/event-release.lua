-- Three workers wait on one event; main sets it once and all three go at
-- the same moment — a broadcast, not a relay.
return {
  scenario = "lua-event-release",
  description = "An event set once releases every waiting worker at once.",
  tags = {"lua", "event", "synchronisation"},
  timeout = "10s",
  actors = {
    main = function()
      local go = lab.event()
      for _ = 1, 3 do
        lab.fork(function()
          print("waiting")
          go:wait()
          print("released")
        end)
      end
      lab.sleep(0.3)
      lab.checkpoint("all-waiting")
      go:set()
      for _ = 1, 3 do lab.wait() end
    end,
  },
  expect = {
    {state = {process = "main.1", at = "all-waiting", is = "sleeping"}},
    {output = {match = "^released$", count = 3, writers = 3}},
    {order = {"checkpoint all-waiting", 'output "released"'}},
    function(t)
      local first, last
      for _, e in ipairs(t:events{type = "output"}) do
        if e.text == "released\n" then
          first = first or e.t
          last = e.t
        end
      end
      local spread = (last - first) * 1000
      return spread < 250, ("the workers were released within %.1f ms of each other"):format(spread)
    end,
  },
}
