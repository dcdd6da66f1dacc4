-- wrk script: POST /heartbeat/{uuid}, spreading requests over the UUIDs in $HB_UUIDS (a file,
-- one per line). Each wrk thread starts at a different place in the list.
local uuids = {}
local next_index = 1

function setup(thread)
  thread:set("start", math.random(1, 1000000))
end

function init(args)
  for line in io.lines(os.getenv("HB_UUIDS")) do
    uuids[#uuids + 1] = line
  end
  next_index = (start or 1) % #uuids + 1
end

function request()
  local uuid = uuids[next_index]
  next_index = next_index % #uuids + 1
  return wrk.format("POST", "/heartbeat/" .. uuid)
end
