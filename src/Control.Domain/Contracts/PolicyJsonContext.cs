using System.Text.Json;
using System.Text.Json.Serialization;

namespace Control.Domain.Contracts;

/// <summary>
/// Compile-time JSON metadata for the signed policy and the receipt, with the same Web defaults as PolicySignature.Json. Every policy is serialized once to be signed and
/// parsed once by every agent; the generated code does that several times faster than reflection, which counts when
/// one change re-signs the policies of thousands of clients at once.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SignedPolicy))]
[JsonSerializable(typeof(ClientPolicy))]
[JsonSerializable(typeof(ClientPolicyPart))]
[JsonSerializable(typeof(OrganizationPolicyPart))]
[JsonSerializable(typeof(PolicyAcknowledgement))]
public sealed partial class PolicyJsonContext : JsonSerializerContext;
