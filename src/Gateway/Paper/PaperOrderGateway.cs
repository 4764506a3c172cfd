using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Gateway.Paper;

/// <summary>
/// The paper exchange behind the same <see cref="IOrderGateway"/> face as the real one. Synchronous: every answer is
/// delivered to the sink before <see cref="TrySubmit"/> returns, on the caller's (engine) thread, so a replay is
/// deterministic. Market data reaches it through <see cref="OnOrderbook"/> and <see cref="OnTrade"/> (no allocation).
/// </summary>
public sealed class PaperOrderGateway : IOrderGateway
{
    private readonly PaperExchange _exchange;
    private readonly IOrderEventSink _sink;
    private readonly List<PaperResult> _results = new(16);
    private readonly Dictionary<long, int> _markets = [];
    private readonly Func<int, string>? _marketCode;

    /// <param name="exchange">The paper exchange.</param>
    /// <param name="sink">Where answers go (synchronously).</param>
    /// <param name="marketCode">Market id → code (<c>KRW-BTC</c>), to report coin balances by currency; null: only KRW is reported.</param>
    public PaperOrderGateway(PaperExchange exchange, IOrderEventSink sink, Func<int, string>? marketCode = null)
    {
        _exchange = exchange;
        _sink = sink;
        _marketCode = marketCode;
    }

    /// <summary>The exchange (balances, for reports).</summary>
    public PaperExchange Exchange => _exchange;

    /// <inheritdoc/>
    public bool TrySubmit(in OrderCommand command)
    {
        switch (command.Kind)
        {
            case OrderCommandKind.MarketBuy:
                Deliver(command.MarketId, _exchange.MarketBuy(command.IntentId, command.MarketId, command.AmountKrw));
                break;
            case OrderCommandKind.MarketSell:
                Deliver(command.MarketId, _exchange.MarketSell(command.IntentId, command.MarketId, command.Volume));
                break;
            case OrderCommandKind.LimitSell:
                _markets[command.IntentId] = command.MarketId;
                Deliver(command.MarketId, _exchange.LimitSell(command.IntentId, command.MarketId, KrwTickTable.RoundUp(command.Price), command.Volume));
                break;
            case OrderCommandKind.Cancel:
                Deliver(_markets.GetValueOrDefault(command.TargetIntentId, command.MarketId), _exchange.Cancel(command.TargetIntentId));
                break;
            case OrderCommandKind.CleanUp:
                _results.Clear();
                _exchange.CancelAll(command.MarketId, _results); // every paper order is the engine's
                DeliverAll(command.MarketId);
                break;
            case OrderCommandKind.RefreshBalances:
                ReportBalances(command.IntentId);
                break;
        }

        return true;
    }

    private void ReportBalances(long request)
    {
        _sink.OnBalance(new BalanceReport("KRW", _exchange.Krw, 0, request));
        if (_marketCode is null)
        {
            _sink.OnBalance(BalanceReport.EndOfSnapshot(request));
            return;
        }

        for (var m = 0; m < _exchange.Markets; m++)
        {
            if (_exchange.Coins(m) > 0 || _exchange.LockedCoins(m) > 0)
            {
                var code = _marketCode(m);
                var dash = code.IndexOf('-', StringComparison.Ordinal);
                _sink.OnBalance(new BalanceReport(dash >= 0 ? code[(dash + 1)..] : code, _exchange.Coins(m), _exchange.LockedCoins(m), request));
            }
        }

        _sink.OnBalance(BalanceReport.EndOfSnapshot(request));
    }

    /// <summary>A new book snapshot of a market.</summary>
    public void OnOrderbook(int market, ReadOnlySpan<double> askPrices, ReadOnlySpan<double> askSizes, ReadOnlySpan<double> bidPrices, ReadOnlySpan<double> bidSizes) =>
        _exchange.OnOrderbook(market, askPrices, askSizes, bidPrices, bidSizes);

    /// <summary>A trade: resting orders it reaches fill, and their answers go to the sink.</summary>
    public void OnTrade(int market, double price, double volume)
    {
        if (_exchange.RestingCount == 0)
        {
            return;
        }

        _results.Clear();
        _exchange.OnTrade(market, price, volume, _results);
        DeliverAll(market);
    }

    private void DeliverAll(int market)
    {
        for (var i = 0; i < _results.Count; i++)
        {
            Deliver(market, _results[i]);
        }
    }

    private void Deliver(int market, in PaperResult r)
    {
        var error = r.RejectReason is null ? null : UpbitError.Refusal(r.RejectReason, "paper exchange refused the order");
        _sink.OnOrderEvent(new OrderEvent(r.State, r.IntentId, market, "paper-" + r.IntentId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, r.ExecutedVolume, r.ExecutedFunds, r.PaidFee, error));
    }
}
