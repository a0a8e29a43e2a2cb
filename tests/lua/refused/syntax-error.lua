return {
  scenario = "syntax",
  actors = { main = function() lab.sleep(1) end }
  expect = {}
}
