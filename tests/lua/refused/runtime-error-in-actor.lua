-- Not refused at load: the actor's error is reported by the run.
return {
  scenario = "runtime-error",
  actors = { main = function() local t = nil; return t.field end },
  expect = { {exit = {process = "main", code = 0}} },
}
