-- A bounded queue (2 items) between a fast producer and a consumer that
-- starts late: the third put blocks until the consumer takes the first item.
return {
  scenario = "lua-producer-consumer",
  description = "put blocks while a bounded lab.queue is full; get blocks while it is empty.",
  tags = {"lua", "queue"},
  timeout = "20s",
  actors = {
    producer = function()
      local q = lab.queue(2)
      lab.fork(function()
        lab.sleep(0.4)                       -- start late
        while true do
          local item = q:get()
          if item == "done" then break end
          print("got " .. item)
          lab.sleep(0.05)
        end
      end, {name = "consumer"})
      for i = 1, 5 do
        local t0 = lab.now()
        q:put(i)
        local waited = lab.now() - t0
        print(("put %d%s"):format(i, waited > 0.1 and " after waiting" or ""))
      end
      q:put("done")
      lab.wait()
    end,
  },
  start = "producer",
  expect = {
    {output = {match = "^put 1$", by = "producer"}},
    {output = {match = "^put 2$", by = "producer"}},
    {output = {match = "^put 3 after waiting$", by = "producer"}},
    {output = {match = "^got \\d$", by = "consumer", count = 5}},
    {order = {'output "^put 2$" by producer', 'output "^put 3 after waiting$" by producer'}},
    {reaped = {process = "consumer", by = "producer"}},
  },
}
