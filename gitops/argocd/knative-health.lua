-- Argo CD health check for Knative objects (Service, Revision, KafkaSource, KafkaSink, Sequence):
-- they all report a "Ready" condition. The copy in argocd-cm.yaml is what Argo CD runs; fc-knative's
-- ArgoHealthLuaTest runs that copy against sample objects.
local hs = {}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the controller to report status"
  return hs
end
if obj.metadata ~= nil and obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the controller to observe generation " .. obj.metadata.generation
  return hs
end
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    if condition.status == "True" then
      hs.status = "Healthy"
      hs.message = "Ready"
    elseif condition.status == "False" then
      hs.status = "Degraded"
      hs.message = (condition.reason or "NotReady") .. ": " .. (condition.message or "")
    else
      hs.status = "Progressing"
      hs.message = (condition.reason or "Unknown") .. ": " .. (condition.message or "")
    end
    return hs
  end
end
hs.status = "Progressing"
hs.message = "No Ready condition yet"
return hs
