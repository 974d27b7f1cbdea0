namespace Control.Domain.Contracts;

/// <summary>A change made at the version of the aggregate the caller read (optional): a stale one is refused with 409.</summary>
public interface IVersionedRequest
{
    long? ExpectedVersion { get; }
}
