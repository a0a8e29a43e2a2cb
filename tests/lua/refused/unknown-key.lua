return {
  scenario = "unknown-key",
  actors = { main = function() end },
  expect = { {exit = {process = "main", cod = 0}} },
}
