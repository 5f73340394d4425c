<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
  <context>
    <name />
    <message>
      <source>Run</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The run's number in the run store, and its name</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The model trained</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Text</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The text it trained on</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hidden</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hidden units</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Layers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Layers (nn.GRU)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>LR</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Learning rate</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Steps</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Time steps per sequence</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Batch</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Batch size</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Clip θ</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Gradient norm clipped to θ (0: no clipping)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Batching</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sequential (state carried) or random batches</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Optimizer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The optimizer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Seed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Random seed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Device</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Where it trained</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Epochs</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Epochs trained, of those asked for</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Best ppl</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The lowest validation perplexity and its epoch (training perplexity when no text was held out)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Final ppl</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Training perplexity at the last epoch</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tokens/s</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Mean training speed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Duration</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Wall time from start to end</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Status</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>running, finished, stopped, diverged or crashed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Date</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>When it started</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>running</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>finished</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>stopped</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>diverged</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>crashed</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Generate</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Runs</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>This run is not recorded in the run history: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Stop the training first, then train run #{0} again.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Not used, out of range now: {0}</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>PlotPanel</name>
    <message>
      <source>epoch</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>perplexity</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Log scale</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Show perplexity on a logarithmic axis</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Smoothing: an exponential moving average of each curve, corrected for its start as TensorBoard does; the raw points stay behind it, faint</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>by epoch</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>by time</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The x axis: the epoch, or the training time (pauses excluded)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>&lt;b&gt;Perplexity&lt;/b&gt; (lower is better; 1 is perfect)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Smoothing</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>run {0}: validation</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>epoch {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>epochs {0} to {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>training time (s)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>epoch {0}: perplexity {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>, validation {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>run {0}</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>RunsTableModel</name>
    <message>
      <source>sequential</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>random</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{0} @{1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Model saved to {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The lowest validation perplexity, first reached at epoch {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No text was held out: the lowest training perplexity, first reached at epoch {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tick to draw this run's curves on the plot</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>RunsView</name>
    <message>
      <source>Only differing columns</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hide the settings that are the same in every listed run; the results always show</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Open model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Train again</source>
      <translation>再次训练</translation>
    </message>
    <message>
      <source>Rename…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Delete…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Export CSV…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Open the model this run saved, to generate or train on</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Fill in this run's settings and text, and train a new model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Forget the selected runs (their saved models stay)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Write the ticked runs' epochs (or the selected runs' when none is ticked) to one CSV file</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Runs cannot be listed: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>1 run</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{0} runs</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Run #{0} is the one training now: its curve is already drawn.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Run #{0} has no epoch recorded yet: nothing to draw.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>No saved model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Run #{0} has no saved model: it was not saved, or a later run saved over its file (the autosave is replaced by each run).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The model file is gone</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Run #{0} saved its model to {1}, which is no longer there (moved or deleted).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cannot train again</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Run #{0} has no settings recorded.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Rename run</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Name of run #{0}:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Runs not deleted</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Run #{0} is still training. Stop it first, then delete it.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Delete runs?</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Forget {0} and every epoch recorded? Their saved model files stay.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>run {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{0} runs ({1})</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Deleted 1 run.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Deleted {0} runs.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tick (or select) the runs to export first.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Export runs</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>CSV (*.csv)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Nothing was written</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Wrote {0}: {1}, {2} epochs</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The run store cannot be used.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The run store could not be read or written: {0}</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>SettingsPanel</name>
    <message>
      <source>The book's equations and parameters, computed with fused products and a hand-written backward pass: same results, faster.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The book's code as written, one small operation per line and step: the teaching reference, slower. The reset gate scales H before the product with W_hh.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>nn.GRU applies the reset gate after the product, r * (W_hn h + b_hn): a different model from the book's.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The book's plain RNN, H = tanh(X W_xh + H W_hh + b_h): no gates, so it forgets sooner than a GRU. Inside the GRU does not apply.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>nn.RNN with tanh: the same plain RNN as PyTorch's layer, for the chapter's RNN-versus-GRU exercise. Inside the GRU does not apply.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>nn.LSTM, the next chapter's model: input, forget and output gates and a memory cell. Inside the GRU does not apply.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>sequential (state carried)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>random</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>full: update and reset gates</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>reset gate only (Z = 0)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>update gate only (R = 1)</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>engine</name>
    <message>
      <source>{field}: {problem}</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>