-- locks, events and semaphores across processes, with their timeouts.
return {
  scenario = "lua-test-sync",
  timeout = "10s",
  actors = {
    main = function()
      local lock = lab.lock()
      local held = lab.event()
      local holder = lab.fork(function()
        lock:acquire()
        held:set()
        lab.sleep(0.4)
        lock:release()
      end, {name = "holder"})
      held:wait()
      local t0 = lab.now()
      print("acquire with timeout: " .. tostring(lock:acquire(0.1)) ..
            (lab.now() - t0 >= 0.09 and " after waiting" or " too early"))
      print("release not held: " .. select(2, pcall(lock.release, lock)))
      print("acquire: " .. tostring(lock:acquire()))
      lock:release()
      lab.waitpid(holder)
      -- a lock whose holder died is free again
      local dier = lab.fork(function() lock:acquire(); lab.exit(0) end)
      lab.waitpid(dier)
      print("after holder died: " .. tostring(lock:acquire(1)))
      lock:release()
      -- events
      local ev = lab.event()
      print("event wait timeout: " .. tostring(ev:wait(0.1)) .. " set " .. tostring(ev:is_set()))
      ev:set()
      print("event wait: " .. tostring(ev:wait(0.1)))
      ev:clear()
      print("cleared: " .. tostring(ev:is_set()))
      -- semaphores
      local sem = lab.semaphore(2)
      print("sem " .. tostring(sem:acquire(0)) .. tostring(sem:acquire(0)) .. tostring(sem:acquire(0.05)))
      sem:release()
      print("sem value " .. sem:value())
    end,
  },
  expect = {
    {output = {match = "^acquire with timeout: false after waiting$"}},
    {output = {match = "^release not held: .*does not hold the lock$"}},
    {output = {match = "^acquire: true$"}},
    {output = {match = "^after holder died: true$"}},
    {output = {match = "^event wait timeout: false set false$"}},
    {output = {match = "^event wait: true$"}},
    {output = {match = "^cleared: false$"}},
    {output = {match = "^sem truetruefalse$"}},
    {output = {match = "^sem value 1$"}},
  },
}
