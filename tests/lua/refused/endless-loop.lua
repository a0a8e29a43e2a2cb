-- The loader's time budget stops this; pcall cannot swallow it.
while true do pcall(function() while true do end end) end
