namespace Control.Domain.Contracts;

/// <summary>
/// A request for a change that says why: the API records the reason, with the acting operator and the correlation id, on
/// every event the change appends.
/// </summary>
public interface IReasonedRequest
{
    string? Reason { get; }
}
