-- A duplex pipe between parent and child: each recv blocks until the other
-- side sends. Three pings, three pongs.
return {
  scenario = "lua-pipe-ping-pong",
  description = "send and recv over a lab.pipe; recv blocks until the other side sends.",
  tags = {"lua", "pipes"},
  timeout = "10s",
  actors = {
    main = function()
      local mine, theirs = lab.pipe{duplex = true}
      lab.fork(function()
        mine:close()
        for _ = 1, 3 do
          local msg = theirs:recv()
          print("child got " .. msg.text .. " " .. msg.n)
          theirs:send({text = "pong", n = msg.n})
        end
      end, {name = "child"})
      theirs:close()
      for n = 1, 3 do
        lab.sleep(0.05)                        -- the child sits in recv meanwhile
        mine:send({text = "ping", n = n})
        local reply = mine:recv()
        print("parent got " .. reply.text .. " " .. reply.n)
      end
      lab.wait()
    end,
  },
  expect = {
    {output = {match = "^child got ping [1-3]$", by = "child", count = 3}},
    {output = {match = "^parent got pong [1-3]$", by = "main", count = 3}},
    {order = {'output "ping 1" by child', 'output "pong 1" by main', 'output "ping 2" by child'}},
  },
}
