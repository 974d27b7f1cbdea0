namespace Control.Domain.Common;

/// <summary>
/// Event fields that hold secret material (hashes, SCRAM verifiers, ciphertext). They are needed to rebuild state,
/// but no reader of the audit trail may see them: audit output replaces them.
/// </summary>
public static class SensitiveFields
{
    public const string Redacted = "[redacted]";

    public static bool IsSensitive(string fieldName) =>
        fieldName.EndsWith("Hash", StringComparison.OrdinalIgnoreCase)
        || fieldName.EndsWith("Hashes", StringComparison.OrdinalIgnoreCase)
        || fieldName.EndsWith("Verifier", StringComparison.OrdinalIgnoreCase)
        || fieldName.StartsWith("Protected", StringComparison.OrdinalIgnoreCase);
}
