-- pipes and queues, their timeouts, and what cannot be sent.
return {
  scenario = "lua-test-ipc",
  timeout = "10s",
  actors = {
    main = function()
      local a, b = lab.pipe()
      local child = lab.fork(function()
        a:close()
        local v = b:recv()
        b:send({got = v.n * 2, list = {1, 2, {3}}, flag = true, pi = 3.5, none = nil})
        b:close()
      end)
      b:close()
      a:send({n = 21})
      local reply = a:recv()
      print(("pipe %d %d %s %.1f"):format(reply.got, reply.list[3][1], tostring(reply.flag), reply.pi))
      print("after close: " .. tostring(select(2, a:recv())))
      lab.waitpid(child)
      -- recv with a timeout
      local c, d = lab.pipe()
      print("recv timeout: " .. tostring(select(2, c:recv(0.1))))
      -- unsendable values raise
      print("send function: " .. select(2, pcall(c.send, c, function() end)))
      local cyclic = {}
      cyclic.self = cyclic
      print("send cycle: " .. select(2, pcall(c.send, c, cyclic)))
      -- a simplex pipe: the first end only receives
      local r, w = lab.pipe{duplex = false}
      print("simplex: " .. select(2, pcall(r.send, r, 1)))
      -- queues
      local q = lab.queue(2)
      print("empty " .. tostring(q:empty()) .. " size " .. q:qsize())
      q:put("x"); q:put({y = 1})
      print("full " .. tostring(q:full()) .. " size " .. q:qsize())
      print("put nonblocking: " .. tostring(select(2, q:put("z", {block = false}))))
      local t0 = lab.now()
      print("put timeout: " .. tostring(select(2, q:put("z", {timeout = 0.2}))) ..
            (lab.now() - t0 >= 0.19 and " after waiting" or " too early"))
      print("get " .. q:get() .. " " .. q:get().y)
      t0 = lab.now()
      print("get timeout: " .. tostring(select(2, q:get{timeout = 0.2})) ..
            (lab.now() - t0 >= 0.19 and " after waiting" or " too early"))
      print("get nonblocking: " .. tostring(select(2, q:get{block = false})))
      -- a consumer in another process
      local results = lab.queue()
      local worker = lab.fork(function()
        for i = 1, 3 do results:put(i * 10) end
      end)
      local sum = 0
      for _ = 1, 3 do sum = sum + results:get() end
      print("sum " .. sum)
      lab.waitpid(worker)
    end,
  },
  expect = {
    {output = {match = "^pipe 42 3 true 3\\.5$"}},
    {output = {match = "^after close: closed"}},
    {output = {match = "^recv timeout: timeout$"}},
    {output = {match = "^send function: send: a function cannot be sent"}},
    {output = {match = "^send cycle: send: the table contains itself"}},
    {output = {match = "^simplex: .*only receives"}},
    {output = {match = "^empty true size 0$"}},
    {output = {match = "^full true size 2$"}},
    {output = {match = "^put nonblocking: full$"}},
    {output = {match = "^put timeout: full after waiting$"}},
    {output = {match = "^get x 1$"}},
    {output = {match = "^get timeout: empty after waiting$"}},
    {output = {match = "^get nonblocking: empty$"}},
    {output = {match = "^sum 60$"}},
  },
}
