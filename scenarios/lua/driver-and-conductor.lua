-- The driver and conductor exercise, entirely in Lua: both actors run on a
-- terminal; the keys reach both; the driver ignores them, the conductor turns
-- them into SIGUSR1 and SIGUSR2 for the driver.
return {
  scenario = "lua-driver-and-conductor",
  description = "Two Lua actors cooperate through signals, driven by keys on a terminal.",
  tags = {"lua", "signals", "tty"},
  timeout = "10s",
  tty = true,
  actors = {
    driver = function()
      local arrived = false
      lab.signal("SIGINT", "ignore")
      lab.signal("SIGQUIT", "ignore")
      lab.signal("SIGUSR1", function() print("发车了") end)
      lab.signal("SIGUSR2", function() print("到站了"); arrived = true end)
      local driver = lab.getpid()
      local conductor = lab.fork(function()
        lab.signal("SIGINT", function() lab.kill(driver, "SIGUSR1") end)
        lab.signal("SIGQUIT", function() lab.kill(driver, "SIGUSR2"); lab.exit(0) end)
        while true do lab.pause() end
      end, {name = "conductor"})
      while not arrived do lab.pause() end
      lab.waitpid(conductor)
    end,
  },
  start = "driver",
  steps = {
    {wait_for = {fork = "conductor", within = "5s"}},
    {sleep = "300ms"},
    {key = "ctrl-c"},
    {expect_output = {match = "发车了", by = "driver", within = "2s"}},
    {key = "ctrl-backslash"},
    {expect_output = {match = "到站了", by = "driver", within = "2s"}},
  },
  expect = {
    {signal = {sig = "SIGINT", from = "tty", to = "driver", outcome = "ignored"}},
    {signal = {sig = "SIGUSR1", from = "conductor", to = "driver", outcome = "handled"}},
    {signal = {sig = "SIGUSR2", from = "conductor", to = "driver", outcome = "handled"}},
    {order = {"exit conductor", "exit driver"}},
    {exit = {process = "driver", code = 0}},
  },
}
