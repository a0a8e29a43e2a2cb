-- alarm asks the kernel for a SIGALRM later; pause sleeps until a handler ran.
return {
  scenario = "lua-alarm-pause",
  description = "lab.alarm schedules SIGALRM from the kernel; lab.pause returns after its handler.",
  tags = {"lua", "signals", "timers"},
  timeout = "5s",
  actors = {
    main = function()
      lab.signal("SIGALRM", function() print("alarm rang") end)
      lab.alarm(0.5)
      print("pausing")
      lab.pause()
      print("woke up")
    end,
  },
  expect = {
    {signal = {sig = "SIGALRM", from = "kernel", to = "main", outcome = "handled"}},
    {order = {'output "pausing"', "signal SIGALRM to main", 'output "alarm rang"', 'output "woke up"'}},
    {duration = {process = "main", min = "450ms", max = "3s"}},
  },
}
