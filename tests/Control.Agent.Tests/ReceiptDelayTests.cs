using Control.Agent.Policies;

namespace Control.Agent.Tests;

public class ReceiptDelayTests
{
    [Fact]
    public void Next_KeepsTheFirstSecondFree_ThenIsUniformWithinTheTwoSecondWindow_SoAFleetsReceiptsSpreadOut()
    {
        var random = new Random(11);
        var delays = Enumerable.Range(0, 1000).Select(_ => ReceiptDelay.Next(random)).ToList();

        Assert.Equal(TimeSpan.FromSeconds(1), ReceiptDelay.Minimum);
        Assert.Equal(TimeSpan.FromSeconds(2), ReceiptDelay.Window);
        Assert.All(delays, d => Assert.InRange(d, ReceiptDelay.Minimum, ReceiptDelay.Maximum));
        // Spread over the whole window: every quarter of it gets a fair share of the fleet's receipts.
        for (var quarter = 0; quarter < 4; quarter++)
        {
            var count = delays.Count(d => d >= ReceiptDelay.Minimum + ReceiptDelay.Window * quarter / 4 && d < ReceiptDelay.Minimum + ReceiptDelay.Window * (quarter + 1) / 4);
            Assert.InRange(count, 180, 320);
        }
    }
}
