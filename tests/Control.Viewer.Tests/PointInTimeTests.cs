using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

public sealed class PointInTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("24h", 24 * 60)]
    [InlineData("90m", 90)]
    [InlineData("45s", 0.75)]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("2w", 14 * 24 * 60)]
    [InlineData("1h30m", 90)]
    [InlineData(" 1d12h ", 36 * 60)]
    public void TryParse_Age_IsThatLongBeforeNow(string text, double minutesAgo)
    {
        Assert.True(PointInTime.TryParse(text, Now, out var moment));
        Assert.Equal(Now - TimeSpan.FromMinutes(minutesAgo), moment);
    }

    [Theory]
    [InlineData("2026-11-20T08:30:00Z", "2026-11-20T08:30:00+00:00")]
    [InlineData("2026-11-20T10:30:00+02:00", "2026-11-20T08:30:00+00:00")]
    [InlineData("2026-11-20T08:30:00", "2026-11-20T08:30:00+00:00")]
    [InlineData("2026-11-20", "2026-11-20T00:00:00+00:00")]
    public void TryParse_IsoTime_IsThatMomentWithoutOffsetMeaningUtc(string text, string expected)
    {
        Assert.True(PointInTime.TryParse(text, Now, out var moment));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), moment);
        Assert.Equal(TimeSpan.Zero, moment.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("24")]
    [InlineData("h")]
    [InlineData("0h")]
    [InlineData("-5h")]
    [InlineData("5y")]
    [InlineData("1.5h")]
    [InlineData("24h ago")]
    [InlineData("99999999999999999999d")]
    [InlineData("100000000w")]
    public void TryParse_Nonsense_IsRefused(string text)
    {
        Assert.False(PointInTime.TryParse(text, Now, out _));
    }
}
