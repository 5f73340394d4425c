<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
  <context>
    <name>Accessibility</name>
    <message>
      <source>Plot of {0} against {1}</source>
      <translation>{0} 随 {1} 变化的图</translation>
    </message>
    <message>
      <source>Plot of {0}</source>
      <translation>{0} 的图</translation>
    </message>
    <message>
      <source>x axis: {0}</source>
      <translation>横轴：{0}</translation>
    </message>
    <message>
      <source>y axis: {0}</source>
      <translation>纵轴：{0}</translation>
    </message>
    <message>
      <source>curves: {0}</source>
      <translation>曲线：{0}</translation>
    </message>
    <message>
      <source>curves drawn: {0}</source>
      <translation>已绘制的曲线：{0} 条</translation>
    </message>
    <message>
      <source>last point: {0}, {1}</source>
      <translation>最新的点：{0}，{1}</translation>
    </message>
    <message>
      <source>nothing drawn yet</source>
      <translation>尚未绘制任何内容</translation>
    </message>
  </context>
  <context>
    <name>Controller</name>
    <message>
      <source>Stop the training first, then open the model again.</source>
      <translation>请先停止训练，再重新打开模型。</translation>
    </message>
  </context>
  <context>
    <name>CorpusPanel</name>
    <message>
      <source>The Time Machine (H. G. Wells)</source>
      <translation>《时间机器》（H. G. 威尔斯）</translation>
    </message>
    <message>
      <source>Bundled sample story</source>
      <translation>内置示例故事</translation>
    </message>
    <message>
      <source>letters (the book's)</source>
      <translation>字母（书中的做法）</translation>
    </message>
    <message>
      <source>raw characters</source>
      <translation>原始字符</translation>
    </message>
    <message>
      <source>Corpus</source>
      <translation>语料库</translation>
    </message>
    <message>
      <source>The text the model learns from. You can also drop a text file on the window.</source>
      <translation>模型从中学习的文本。也可以把文本文件拖到窗口上。</translation>
    </message>
    <message>
      <source>Open a text file…</source>
      <translation>打开文本文件…</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
    <message>
      <source>Characters</source>
      <translation>字符</translation>
    </message>
    <message>
      <source>Read the file again in the encoding it most likely uses</source>
      <translation>按文件最可能使用的编码重新读取</translation>
    </message>
    <message>
      <source>Read it as {encoding}</source>
      <translation>按 {encoding} 读取</translation>
    </message>
    <message>
      <source>The start of the text as the model sees it after preprocessing</source>
      <translation>预处理后模型看到的文本开头</translation>
    </message>
    <message>
      <source>As in the book, every run of other characters becomes one space and line ends are dropped, so a word at the end of a line runs into the first word of the next.</source>
      <translation>与书中一样，其他字符组成的每一段都变成一个空格，换行符被去掉，因此行末的单词会与下一行的第一个单词连在一起。</translation>
    </message>
    <message>
      <source>Loading…</source>
      <translation>正在加载…</translation>
    </message>
    <message>
      <source>{chars} characters → {tokens} tokens used · vocabulary of {vocab}</source>
      <translation>{chars} 个字符 → 使用 {tokens} 个词元 · 词表大小 {vocab}</translation>
    </message>
    <message>
      <source>Text files ({patterns})</source>
      <translation>文本文件 ({patterns})</translation>
    </message>
    <message>
      <source>All files (*)</source>
      <translation>所有文件 (*)</translation>
    </message>
    <message>
      <source>Open a text file</source>
      <translation>打开文本文件</translation>
    </message>
  </context>
  <context>
    <name>CrashReporter</name>
    <message>
      <source>GRU Studio: unexpected error</source>
      <translation>GRU Studio：意外错误</translation>
    </message>
    <message>
      <source>Something went wrong that GRU Studio did not expect:

{summary}

Your work so far is kept. {where}</source>
      <translation>发生了 GRU Studio 未预料到的错误：

{summary}

目前的工作已保留。{where}</translation>
    </message>
    <message>
      <source>No log file could be written; the details went to the terminal.</source>
      <translation>无法写入日志文件；详细信息已输出到终端。</translation>
    </message>
    <message>
      <source>Details are in {path}.</source>
      <translation>详细信息见 {path}。</translation>
    </message>
  </context>
  <context>
    <name>DeleteQuestion</name>
    <message>
      <source>{0} bytes</source>
      <translation>{0} 字节</translation>
    </message>
    <message>
      <source>Delete runs?</source>
      <translation>删除运行？</translation>
    </message>
    <message>
      <source>Run #{0} kept its model ({1}). Delete the model file too?</source>
      <translation>运行 #{0} 保留了它的模型（{1}）。也删除这个模型文件吗？</translation>
    </message>
    <message>
      <source>{0} of them kept their models ({1} in all). Delete the model files too?</source>
      <translation>其中 {0} 次运行保留了模型（共 {1}）。也删除这些模型文件吗？</translation>
    </message>
    <message>
      <source>Forget {0} and every epoch recorded?</source>
      <translation>删除{0}及其记录的每个迭代周期？</translation>
    </message>
    <message>
      <source>A model kept is opened from its run; after the run is gone, only File ▸ Open finds it. Kept models are pruned, oldest first, when the models folder outgrows its budget.</source>
      <translation>保留的模型通过它的运行打开；运行删除后，只能用“文件 ▸ 打开”找到它。模型文件夹超出容量预算时，保留的模型会从最旧的开始清理。</translation>
    </message>
    <message>
      <source>Delete runs and models</source>
      <translation>删除运行和模型</translation>
    </message>
    <message>
      <source>Delete run and model</source>
      <translation>删除运行和模型</translation>
    </message>
    <message>
      <source>Delete runs, keep models</source>
      <translation>删除运行，保留模型</translation>
    </message>
    <message>
      <source>Delete run, keep model</source>
      <translation>删除运行，保留模型</translation>
    </message>
    <message>
      <source>Forget {0} and every epoch recorded? Their saved model files stay.</source>
      <translation>删除{0}及其记录的每个迭代周期？已保存的模型文件会保留。</translation>
    </message>
  </context>
  <context>
    <name>EquationsPanel</name>
    <message>
      <source>The character before (←)</source>
      <translation>前一个字符（←）</translation>
    </message>
    <message>
      <source>The next character (→)</source>
      <translation>下一个字符（→）</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>暂停</translation>
    </message>
    <message>
      <source>Play</source>
      <translation>播放</translation>
    </message>
    <message>
      <source>Step through the text on its own</source>
      <translation>自动逐字符浏览文本</translation>
    </message>
    <message>
      <source> characters/s</source>
      <translation> 个字符/秒</translation>
    </message>
    <message>
      <source>Click a column of the strip (a character) and a row (a unit) to see the equations with their numbers.</source>
      <translation>点击热图条的一列（一个字符）和一行（一个单元），即可看到代入数值的公式。</translation>
    </message>
    <message>
      <source>nn.GRU applies the reset gate after the product with W_hn, the book before it: a different model (see the README, “nn.GRU is not the book's GRU”).</source>
      <translation>nn.GRU 在与 W_hn 相乘之后才应用重置门，书中则在相乘之前：这是不同的模型（见 README 中“nn.GRU 不是书中的 GRU”一节）。</translation>
    </message>
    <message>
      <source>The chapter's equations, with this character's and this unit's numbers.</source>
      <translation>本章的公式，代入这个字符和这个单元的数值。</translation>
    </message>
    <message>
      <source>Character {number} “{char}”, unit {unit}</source>
      <translation>第 {number} 个字符“{char}”，单元 {unit}</translation>
    </message>
    <message>
      <source>held: {0}</source>
      <translation>固定：{0}</translation>
    </message>
    <message>
      <source>Next:</source>
      <translation>下一个字符：</translation>
    </message>
  </context>
  <context>
    <name>FileActions</name>
    <message>
      <source>Open &amp;model…</source>
      <translation>打开模型(&amp;M)…</translation>
    </message>
    <message>
      <source>&amp;Save model…</source>
      <translation>保存模型(&amp;S)…</translation>
    </message>
    <message>
      <source>Export perplexity as &amp;CSV…</source>
      <translation>将困惑度导出为 CSV(&amp;C)…</translation>
    </message>
    <message>
      <source>Export plot as &amp;PNG…</source>
      <translation>将图表导出为 PNG(&amp;P)…</translation>
    </message>
    <message>
      <source>Stop the training before opening a text.</source>
      <translation>请先停止训练，再打开文本。</translation>
    </message>
    <message>
      <source>GRU Studio models (*.pt);;All files (*)</source>
      <translation>GRU Studio 模型 (*.pt);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Nothing to save yet: train or open a model first.</source>
      <translation>还没有可保存的内容：请先训练或打开一个模型。</translation>
    </message>
    <message>
      <source>Save model</source>
      <translation>保存模型</translation>
    </message>
    <message>
      <source>The model was not saved</source>
      <translation>模型未保存</translation>
    </message>
    <message>
      <source>{0} holds a GRU Studio model. Replace it with this one?</source>
      <translation>{0} 中已有一个 GRU Studio 模型。要用当前模型替换它吗？</translation>
    </message>
    <message>
      <source>{0} is not a GRU Studio model: it may be a text or another program's file, and it would be lost. Replace it anyway?</source>
      <translation>{0} 不是 GRU Studio 模型：它可能是文本或其他程序的文件，替换后将丢失。仍要替换吗？</translation>
    </message>
    <message>
      <source>Replace the file?</source>
      <translation>替换该文件？</translation>
    </message>
    <message>
      <source>Your last session's model was autosaved on {0}. The next run's autosave replaces it.</source>
      <translation>上次会话的模型已于 {0} 自动保存。下一次运行的自动保存会替换它。</translation>
    </message>
    <message>
      <source>Open it</source>
      <translation>打开它</translation>
    </message>
    <message>
      <source>Stop the training before opening a model.</source>
      <translation>打开模型前请先停止训练。</translation>
    </message>
    <message>
      <source>Open model</source>
      <translation>打开模型</translation>
    </message>
    <message>
      <source>Opening {0}…</source>
      <translation>正在打开 {0}…</translation>
    </message>
    <message>
      <source>Saved the model to {0}</source>
      <translation>模型已保存到 {0}</translation>
    </message>
    <message>
      <source>The model could not be opened</source>
      <translation>无法打开模型</translation>
    </message>
    <message>
      <source>Nothing to export yet: train or open a model first.</source>
      <translation>还没有可导出的内容：请先训练或打开一个模型。</translation>
    </message>
    <message>
      <source>Export perplexity</source>
      <translation>导出困惑度</translation>
    </message>
    <message>
      <source>CSV (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>Export plot</source>
      <translation>导出图表</translation>
    </message>
    <message>
      <source>PNG (*.png)</source>
      <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
      <source>the image could not be written</source>
      <translation>无法写入图像</translation>
    </message>
    <message>
      <source>The plot was not exported</source>
      <translation>图表未导出</translation>
    </message>
    <message>
      <source>Nothing was written</source>
      <translation>未写入任何内容</translation>
    </message>
    <message>
      <source>{0} holds a GRU Studio model, which would be lost. Replace it anyway?</source>
      <translation>{0} 中是一个 GRU Studio 模型，替换后它将丢失。仍要替换吗？</translation>
    </message>
    <message>
      <source>Wrote {0}</source>
      <translation>已写入 {0}</translation>
    </message>
  </context>
  <context>
    <name>Form</name>
    <message>
      <source>Link Axis:</source>
      <translation>关联坐标轴：</translation>
    </message>
    <message>
      <source>Auto</source>
      <translation>自动</translation>
    </message>
    <message>
      <source>Manual</source>
      <translation>手动</translation>
    </message>
    <message>
      <source>Invert Axis</source>
      <translation>反转坐标轴</translation>
    </message>
    <message>
      <source>Mouse Enabled</source>
      <translation>启用鼠标</translation>
    </message>
    <message>
      <source>Visible Data Only</source>
      <translation>仅限可见数据</translation>
    </message>
    <message>
      <source>Auto Pan Only</source>
      <translation>仅自动平移</translation>
    </message>
    <message>
      <source>Average</source>
      <translation>平均</translation>
    </message>
    <message>
      <source>Clip to View</source>
      <translation>裁剪到视图</translation>
    </message>
    <message>
      <source>Max Traces:</source>
      <translation>最多曲线数：</translation>
    </message>
    <message>
      <source>Downsample</source>
      <translation>降采样</translation>
    </message>
    <message>
      <source>Peak</source>
      <translation>峰值</translation>
    </message>
    <message>
      <source>Forget hidden traces</source>
      <translation>丢弃隐藏的曲线</translation>
    </message>
    <message>
      <source>Mean</source>
      <translation>均值</translation>
    </message>
    <message>
      <source>Subsample</source>
      <translation>抽样</translation>
    </message>
    <message>
      <source>Log X</source>
      <translation>X 取对数</translation>
    </message>
    <message>
      <source>Log Y</source>
      <translation>Y 取对数</translation>
    </message>
    <message>
      <source>Power Spectrum (FFT)</source>
      <translation>功率谱 (FFT)</translation>
    </message>
    <message>
      <source>Subtract Mean</source>
      <translation>减去均值</translation>
    </message>
    <message>
      <source>Points</source>
      <translation>数据点</translation>
    </message>
    <message>
      <source>Show X Grid</source>
      <translation>显示 X 网格</translation>
    </message>
    <message>
      <source>Show Y Grid</source>
      <translation>显示 Y 网格</translation>
    </message>
    <message>
      <source>Opacity</source>
      <translation>不透明度</translation>
    </message>
    <message>
      <source>Alpha</source>
      <translation>透明度</translation>
    </message>
  </context>
  <context>
    <name>GenerationLink</name>
    <message>
      <source>Choose a text first: the model needs its characters.</source>
      <translation>请先选择文本：模型需要它的字符。</translation>
    </message>
    <message>
      <source>[untrained model: random weights]</source>
      <translation>[未训练的模型：随机权重]</translation>
    </message>
  </context>
  <context>
    <name>GenerationPanel</name>
    <message>
      <source>Generate</source>
      <translation>生成</translation>
    </message>
    <message>
      <source>Type a prefix and press Enter</source>
      <translation>输入前缀并按回车</translation>
    </message>
    <message>
      <source>The model reads this, then continues it</source>
      <translation>模型先读入这段文字，再接着往下写</translation>
    </message>
    <message>
      <source>Characters to generate</source>
      <translation>要生成的字符数</translation>
    </message>
    <message>
      <source>Greedy</source>
      <translation>贪心</translation>
    </message>
    <message>
      <source>Always take the likeliest next character, as the book does</source>
      <translation>总是选取最可能的下一个字符，与书中一样</translation>
    </message>
    <message>
      <source>Below 1: safer choices; above 1: more surprising ones</source>
      <translation>小于 1：选择更稳妥；大于 1：选择更出人意料</translation>
    </message>
    <message>
      <source>all</source>
      <translation>全部</translation>
    </message>
    <message>
      <source>Sample only from the k likeliest characters</source>
      <translation>只从最可能的 k 个字符中采样</translation>
    </message>
    <message>
      <source>Generate (Enter in the prefix field)</source>
      <translation>生成（在前缀框中按回车）</translation>
    </message>
    <message>
      <source>Generated text appears here as it is written.</source>
      <translation>生成的文本会边写边显示在这里。</translation>
    </message>
    <message>
      <source>The trainer's sample predictions appear here every few epochs.</source>
      <translation>训练过程中每隔几个迭代周期的预测样例显示在这里。</translation>
    </message>
    <message>
      <source>Length</source>
      <translation>长度</translation>
    </message>
    <message>
      <source>Temperature</source>
      <translation>温度</translation>
    </message>
    <message>
      <source>Top-k</source>
      <translation>Top-k</translation>
    </message>
    <message>
      <source>Samples during training</source>
      <translation>训练中的预测样例</translation>
    </message>
    <message>
      <source>Greedy: always the likeliest character, so the same prefix always gives the same text.</source>
      <translation>贪心：每次都取可能性最大的字符，所以同一前缀总是生成同样的文本。</translation>
    </message>
    <message>
      <source>Sampled: each character drawn at random by its probability, with a fresh random seed each try, so the text changes every time; temperature and top-k shape the draw.</source>
      <translation>采样：按概率随机抽取每个字符，每次生成都用新的随机种子，所以每次的文本都不同；温度和 top-k 决定抽取的方式。</translation>
    </message>
    <message>
      <source>[+{count} spaces]</source>
      <translation>[另有 {count} 个空格]</translation>
    </message>
    <message>
      <source>epoch {epoch}: {text}</source>
      <translation>迭代周期 {epoch}：{text}</translation>
    </message>
  </context>
  <context>
    <name>GradientPlot</name>
    <message>
      <source>&lt;b&gt;Gradient norm&lt;/b&gt; of each batch, before clipping</source>
      <translation>每个批量的&lt;b&gt;梯度范数&lt;/b&gt;（梯度裁剪之前）</translation>
    </message>
    <message>
      <source>Log scale</source>
      <translation>对数坐标</translation>
    </message>
    <message>
      <source>Show the gradient norms on a logarithmic axis</source>
      <translation>在对数坐标轴上显示梯度范数</translation>
    </message>
    <message>
      <source>epoch</source>
      <translation>迭代周期</translation>
    </message>
    <message>
      <source>gradient norm</source>
      <translation>梯度范数</translation>
    </message>
    <message>
      <source>batches clipped (%)</source>
      <translation>被裁剪的批量（%）</translation>
    </message>
    <message>
      <source>Blue: each batch's gradient norm before clipping. Red: the clip threshold θ; a batch above it had its gradient scaled down to length θ. Orange: the share of each epoch's batches clipped.</source>
      <translation>蓝色：每个批量在梯度裁剪之前的梯度范数。红色：裁剪阈值 θ；高于它的批量，其梯度被缩放到长度 θ。橙色：每个迭代周期中被裁剪的批量所占的比例。</translation>
    </message>
    <message>
      <source>clip threshold θ = {theta}</source>
      <translation>裁剪阈值 θ = {theta}</translation>
    </message>
    <message>
      <source>no batches yet</source>
      <translation>还没有批量</translation>
    </message>
    <message>
      <source>epoch {epoch}: {clipped} of {batches} batches clipped · median norm {median}</source>
      <translation>第 {epoch} 个迭代周期：{batches} 个批量中 {clipped} 个被裁剪 · 范数中位数 {median}</translation>
    </message>
  </context>
  <context>
    <name>GraphicsScene</name>
    <message>
      <source>Export...</source>
      <translation>导出…</translation>
    </message>
  </context>
  <context>
    <name>HeatStrip</name>
    <message>
      <source>Z: update gate</source>
      <translation>Z：更新门</translation>
    </message>
    <message>
      <source>R: reset gate</source>
      <translation>R：重置门</translation>
    </message>
    <message>
      <source>H̃: candidate state</source>
      <translation>H̃：候选隐状态</translation>
    </message>
    <message>
      <source>H: hidden state</source>
      <translation>H：隐状态</translation>
    </message>
    <message>
      <source>unit</source>
      <translation>单元</translation>
    </message>
    <message>
      <source>Heat strip: a row per unit, a column per character</source>
      <translation>热图条：每行一个单元，每列一个字符</translation>
    </message>
    <message>
      <source>The arrow keys move the selected cell.</source>
      <translation>方向键移动所选的格子。</translation>
    </message>
    <message>
      <source>unit {0}, character {1} ({2}): {3}</source>
      <translation>单元 {0}，第 {1} 个字符（{2}）：{3}</translation>
    </message>
  </context>
  <context>
    <name>HelpMenu</name>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>&amp;Keyboard shortcuts</source>
      <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
      <source>&amp;About GRU Studio</source>
      <translation>关于 GRU Studio(&amp;A)</translation>
    </message>
  </context>
  <context>
    <name>InsideView</name>
    <message>
      <source>Train a model or open one first: there is nothing to look inside yet.</source>
      <translation>请先训练或打开一个模型：目前还没有可以查看内部的模型。</translation>
    </message>
    <message>
      <source>Point at a column to see the character, the model's five likeliest next characters and the mean gates.</source>
      <translation>指向某一列，可查看该字符、模型预测的五个最可能的下一个字符以及门的平均值。</translation>
    </message>
    <message>
      <source>The probe text is empty: type a prefix, or pick a passage of the text.</source>
      <translation>探测文本为空：请输入前缀，或选择文本中的一段。</translation>
    </message>
    <message>
      <source>the prefix box's text</source>
      <translation>前缀框中的文本</translation>
    </message>
    <message>
      <source>a passage of the text</source>
      <translation>文本中的一段</translation>
    </message>
    <message>
      <source>by unit number</source>
      <translation>按单元编号</translation>
    </message>
    <message>
      <source>by variance</source>
      <translation>按方差</translation>
    </message>
    <message>
      <source>A row per unit, a column per character. A high Z (bright) means the unit keeps its old state at that character, its memory; a low Z (dark) means it takes the new candidate instead.</source>
      <translation>每行一个单元，每列一个字符。Z 高（亮）表示该单元在这个字符处保留旧状态，即它的记忆；Z 低（暗）表示它改用新的候选状态。</translation>
    </message>
    <message>
      <source>A row per unit, a column per character. A low R (dark) means the unit's candidate ignores the past at that character, as at a fresh start; a high R (bright) means it reads the old state in full.</source>
      <translation>每行一个单元，每列一个字符。R 低（暗）表示该单元的候选状态在这个字符处忽略过去，如同重新开始；R 高（亮）表示它完整读取旧状态。</translation>
    </message>
    <message>
      <source>A row per unit, a column per character: the candidate, the new value each unit would take if it kept nothing of its old state (red above zero, blue below).</source>
      <translation>每行一个单元，每列一个字符：候选状态，即每个单元若不保留任何旧状态时将取的新值（大于零为红，小于零为蓝）。</translation>
    </message>
    <message>
      <source>A row per unit, a column per character: each unit's state after reading that character (red above zero, blue below). A row that keeps its colour over a stretch carries something along it.</source>
      <translation>每行一个单元，每列一个字符：每个单元读完该字符后的状态（大于零为红，小于零为蓝）。一行在一段文字上保持同一颜色，说明它沿这段文字携带着某种信息。</translation>
    </message>
    <message>
      <source>The update gate: how much of its old state each unit keeps at each character (1: all of it)</source>
      <translation>更新门：每个单元在每个字符处保留多少旧状态（1：全部保留）</translation>
    </message>
    <message>
      <source>The reset gate: how much of the old state the candidate may read (0: none, a fresh start)</source>
      <translation>重置门：候选状态可以读取多少旧状态（0：完全不读，重新开始）</translation>
    </message>
    <message>
      <source>The candidate state: the new value each unit proposes from the character and the past</source>
      <translation>候选状态：每个单元根据当前字符和过去提出的新值</translation>
    </message>
    <message>
      <source>The hidden state: what each unit holds after the character, a mix of old state and candidate</source>
      <translation>隐状态：每个单元在该字符之后所保存的值，是旧状态与候选状态的混合</translation>
    </message>
    <message>
      <source>Trace the text in the Generate box, or a passage of the model's training text</source>
      <translation>追踪“生成”框中的文本，或模型训练文本中的一段</translation>
    </message>
    <message>
      <source>Where the passage starts, in characters from the start of the text</source>
      <translation>这段文字的起点，以距文本开头的字符数计</translation>
    </message>
    <message>
      <source>How many characters the passage has (at most 5,000)</source>
      <translation>这段文字的字符数（最多 5,000）</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Trace the model over the probe text now</source>
      <translation>立即在探测文本上追踪模型</translation>
    </message>
    <message>
      <source>During training</source>
      <translation>训练期间</translation>
    </message>
    <message>
      <source>Trace again every few epochs while the model trains</source>
      <translation>模型训练时每隔几个迭代周期重新追踪</translation>
    </message>
    <message>
      <source>every </source>
      <translation>每 </translation>
    </message>
    <message>
      <source> epochs</source>
      <translation> 个迭代周期</translation>
    </message>
    <message>
      <source>Which of the four numbers the GRU computes at each character the strip colours: the update gate Z, the reset gate R, the candidate H̃ or the hidden state H</source>
      <translation>热图条按 GRU 在每个字符处计算的四个量中的哪一个着色：更新门 Z、重置门 R、候选状态 H̃ 或隐状态 H</translation>
    </message>
    <message>
      <source>Which stacked GRU layer to look inside, counted from 0 as the units are and as the command line counts them: layer 0 reads the characters, each next one the states of the one below</source>
      <translation>查看堆叠 GRU 的哪一层，与单元一样、也与命令行一样从 0 开始编号：第 0 层读取字符，之后每一层读取下一层的状态</translation>
    </message>
    <message>
      <source>How often the view traces again while the model trains</source>
      <translation>模型训练期间本视图多久重新追踪一次</translation>
    </message>
    <message>
      <source>Each point is a unit. Across: the share of characters at which its gate is nearly shut (below 0.1); up: the share at which it is nearly open (above 0.9). Z mostly open: the unit keeps its memory. R mostly shut: its candidate ignores the past.</source>
      <translation>每个点是一个单元。横轴：其门几乎关闭（低于 0.1）的字符所占比例；纵轴：几乎打开（高于 0.9）的字符所占比例。Z 大多打开：该单元保留记忆。R 大多关闭：其候选状态忽略过去。</translation>
    </message>
    <message>
      <source>r: how closely the unit's signal follows the pattern, from +1 (high exactly where the pattern matches) through 0 (unrelated) to -1 (low exactly there).</source>
      <translation>r：单元信号与模式的吻合程度，从 +1（恰在模式匹配处为高），经 0（无关），到 -1（恰在该处为低）。</translation>
    </message>
    <message>
      <source>Units in their own order, or the units that vary most over the text first</source>
      <translation>按单元自身的顺序，或把在文本上变化最大的单元排在前面</translation>
    </message>
    <message>
      <source>a pattern: [aeiou], \s\w (a word start), the</source>
      <translation>模式：[aeiou]、\s\w（词首）、the</translation>
    </message>
    <message>
      <source>A regular expression over the probe text; press Enter to rank the units</source>
      <translation>作用于探测文本的正则表达式；按回车对单元排序</translation>
    </message>
    <message>
      <source>Find units</source>
      <translation>查找单元</translation>
    </message>
    <message>
      <source>The ten units whose signal follows the pattern best, by correlation r (+1: high exactly where the pattern matches); click one to colour the text by it</source>
      <translation>信号与模式最吻合的十个单元，按相关系数 r 排列（+1：恰在模式匹配处为高）；点击其中一个，按它为文本着色</translation>
    </message>
    <message>
      <source>Probe:</source>
      <translation>探测：</translation>
    </message>
    <message>
      <source>from character</source>
      <translation>起始字符</translation>
    </message>
    <message>
      <source>length</source>
      <translation>长度</translation>
    </message>
    <message>
      <source>Show</source>
      <translation>显示</translation>
    </message>
    <message>
      <source>rows</source>
      <translation>行</translation>
    </message>
    <message>
      <source>Unit finder</source>
      <translation>单元查找</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>单元</translation>
    </message>
    <message>
      <source>Equations</source>
      <translation>公式</translation>
    </message>
    <message>
      <source>What if</source>
      <translation>假如</translation>
    </message>
    <message>
      <source>layer {number}</source>
      <translation>第 {number} 层</translation>
    </message>
    <message>
      <source>Character {number}: {char}   next: {likeliest}   mean Z {z}, mean R {r}</source>
      <translation>第 {number} 个字符：{char}   下一个：{likeliest}   Z 平均 {z}，R 平均 {r}</translation>
    </message>
    <message>
      <source>Click a row of the strip to colour the text by that unit.</source>
      <translation>点击热图中的一行，按该单元为文本着色。</translation>
    </message>
    <message>
      <source>Unit {unit}, {signal}: the text coloured by its value at each character</source>
      <translation>单元 {unit}，{signal}：按它在每个字符处的值为文本着色</translation>
    </message>
    <message>
      <source>Searching the probe text…</source>
      <translation>正在搜索探测文本…</translation>
    </message>
    <message>
      <source>The pattern matches nothing in the probe text.</source>
      <translation>该模式在探测文本中没有任何匹配。</translation>
    </message>
    <message>
      <source>Gave up after {seconds} s: this pattern backtracks too much over the probe text. Try a simpler one (no nested repeats such as (a+)+).</source>
      <translation>{seconds} 秒后已放弃：该模式在探测文本上回溯过多。请换一个更简单的模式（不要使用 (a+)+ 这样的嵌套重复）。</translation>
    </message>
    <message>
      <source>The search could not run: {reason}</source>
      <translation>搜索无法运行：{reason}</translation>
    </message>
    <message>
      <source>unit {unit}   r = {r}</source>
      <translation>单元 {unit}   r = {r}</translation>
    </message>
  </context>
  <context>
    <name>LanguageMenu</name>
    <message>
      <source>&amp;Language</source>
      <translation>语言(&amp;L)</translation>
    </message>
    <message>
      <source>System</source>
      <translation>跟随系统</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Open text file…</source>
      <translation>打开文本文件(&amp;O)…</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Run</source>
      <translation>运行(&amp;R)</translation>
    </message>
    <message>
      <source>Perplexity</source>
      <translation>困惑度</translation>
    </message>
    <message>
      <source>Inside the GRU</source>
      <translation>GRU 内部</translation>
    </message>
    <message>
      <source>How far back</source>
      <translation>回溯多远</translation>
    </message>
    <message>
      <source>Generate</source>
      <translation>生成</translation>
    </message>
    <message>
      <source>Runs</source>
      <translation>运行记录</translation>
    </message>
    <message>
      <source>Gradients</source>
      <translation>梯度</translation>
    </message>
    <message>
      <source>Sweep</source>
      <translation>参数扫描</translation>
    </message>
    <message>
      <source>— run {0}: {1} —</source>
      <translation>— 第 {0} 次运行：{1} —</translation>
    </message>
    <message>
      <source>, perplexity {0}</source>
      <translation>，困惑度 {0}</translation>
    </message>
    <message>
      <source>This run is not recorded in the run history: {0}</source>
      <translation>本次运行未记入运行记录：{0}</translation>
    </message>
    <message>
      <source>opened: {0}, {1}</source>
      <translation>已打开：{0}，{1}</translation>
    </message>
    <message>
      <source>Opened a model trained {0}{1}.</source>
      <translation>已打开一个训练了 {0} 的模型{1}。</translation>
    </message>
    <message>
      <source>Some remembered settings could not be used and are back to their defaults: {0}.</source>
      <translation>部分记住的设置无法使用，已恢复为默认值：{0}。</translation>
    </message>
    <message>
      <source>About GRU Studio</source>
      <translation>关于 GRU Studio</translation>
    </message>
    <message>
      <source>&lt;b&gt;GRU Studio {0}&lt;/b&gt;&lt;p&gt;Train gated recurrent unit language models, watch perplexity fall and see what they write. After the GRU chapter of &lt;i&gt;Dive into Deep Learning&lt;/i&gt;.&lt;/p&gt;</source>
      <translation>&lt;b&gt;GRU Studio {0}&lt;/b&gt;&lt;p&gt;训练门控循环单元（GRU）语言模型，看着困惑度下降，看看它们写出什么。依据《动手学深度学习》的 GRU 一章。&lt;/p&gt;</translation>
    </message>
  </context>
  <context>
    <name>Notice</name>
    <message>
      <source>Dismiss</source>
      <translation>关闭</translation>
    </message>
  </context>
  <context>
    <name>PlotItem</name>
    <message>
      <source>Plot Options</source>
      <translation>绘图选项</translation>
    </message>
    <message>
      <source>Transforms</source>
      <translation>变换</translation>
    </message>
    <message>
      <source>Downsample</source>
      <translation>降采样</translation>
    </message>
    <message>
      <source>Average</source>
      <translation>平均</translation>
    </message>
    <message>
      <source>Alpha</source>
      <translation>透明度</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Points</source>
      <translation>数据点</translation>
    </message>
  </context>
  <context>
    <name>PlotPanel</name>
    <message>
      <source>epoch</source>
      <translation>迭代周期</translation>
    </message>
    <message>
      <source>perplexity</source>
      <translation>困惑度</translation>
    </message>
    <message>
      <source>Log scale</source>
      <translation>对数坐标</translation>
    </message>
    <message>
      <source>Show perplexity on a logarithmic axis</source>
      <translation>在对数坐标轴上显示困惑度</translation>
    </message>
    <message>
      <source>Smoothing: an exponential moving average of each curve, corrected for its start as TensorBoard does; the raw points stay behind it, faint</source>
      <translation>平滑：对每条曲线取指数移动平均，并像 TensorBoard 那样修正起始偏差；原始数据点以淡色留在其后</translation>
    </message>
    <message>
      <source>by epoch</source>
      <translation>按迭代周期</translation>
    </message>
    <message>
      <source>by time</source>
      <translation>按时间</translation>
    </message>
    <message>
      <source>The x axis: the epoch, or the training time (pauses excluded)</source>
      <translation>横轴：迭代周期，或训练时间（不含暂停）</translation>
    </message>
    <message>
      <source>Smoothing</source>
      <translation>平滑</translation>
    </message>
    <message>
      <source>uniform guess: {value} (the vocabulary size)</source>
      <translation>均匀猜测：{value}（词表大小）</translation>
    </message>
    <message>
      <source>unigram: {value} (letter frequencies only)</source>
      <translation>一元语法：{value}（仅字母频率）</translation>
    </message>
    <message>
      <source>Validation perplexity has risen from {best} (epoch {epoch}) to {now} while training perplexity keeps falling: the model is memorising the training text (overfitting). Its best was at epoch {epoch}; fewer epochs, fewer hidden units or dropout would help.</source>
      <translation>验证困惑度从 {best}（第 {epoch} 个迭代周期）升到了 {now}，而训练困惑度仍在下降：模型在死记训练文本（过拟合）。它在第 {epoch} 个迭代周期时最好；减少迭代周期、减少隐藏单元或使用暂退法会有帮助。</translation>
    </message>
    <message>
      <source>So far, since epoch {epoch}, within {share} % of the unigram line: the model is predicting letter frequencies only. Early in a run that is normal; if it stays, try a larger learning rate or more epochs.</source>
      <translation>到目前为止，从第 {epoch} 个迭代周期起，困惑度一直在一元语法线的 {share} % 以内：模型只是在按字母频率预测。训练初期这很正常；如果一直如此，请尝试更大的学习率或更多的迭代周期。</translation>
    </message>
    <message>
      <source>epoch {0}</source>
      <translation>第 {0} 个迭代周期</translation>
    </message>
    <message>
      <source>epochs {0} to {1}</source>
      <translation>第 {0} 到 {1} 个迭代周期</translation>
    </message>
    <message>
      <source>training time (s)</source>
      <translation>训练时间（秒）</translation>
    </message>
    <message>
      <source>&lt;b&gt;Perplexity&lt;/b&gt; (lower is better)</source>
      <translation>&lt;b&gt;困惑度&lt;/b&gt;（越低越好）</translation>
    </message>
    <message>
      <source>Perplexity: lower is better; 1 is perfect (the model is sure of every next character)</source>
      <translation>困惑度：越低越好；1 为完美（模型对每个下一个字符都有把握）</translation>
    </message>
    <message>
      <source>Keep earlier runs</source>
      <translation>保留之前的运行</translation>
    </message>
    <message>
      <source>Leave this window's earlier runs drawn, dimmed; otherwise tick them in the Runs tab to compare</source>
      <translation>让本窗口之前的运行继续以淡色显示；否则请在“运行”标签页中勾选它们来对比</translation>
    </message>
    <message>
      <source>Clear plot</source>
      <translation>清空图表</translation>
    </message>
    <message>
      <source>Take every curve off the plot; the model stays (Reset forgets it)</source>
      <translation>移除图上的所有曲线；模型保留（“重置”才会丢弃模型）</translation>
    </message>
    <message>
      <source>Click to hide or show its curves.</source>
      <translation>单击可隐藏或显示它的曲线。</translation>
    </message>
    <message>
      <source>dashed: validation</source>
      <translation>虚线：验证</translation>
    </message>
    <message>
      <source>epoch {0}: perplexity {1}</source>
      <translation>第 {0} 个迭代周期：困惑度 {1}</translation>
    </message>
    <message>
      <source>, validation {0}</source>
      <translation>，验证 {0}</translation>
    </message>
  </context>
  <context>
    <name>ReachMap</name>
    <message>
      <source>prediction (the character after)</source>
      <translation>预测（其后的字符）</translation>
    </message>
    <message>
      <source>earlier state H_k</source>
      <translation>较早的隐状态 H_k</translation>
    </message>
    <message>
      <source>log₁₀ influence</source>
      <translation>log₁₀ 影响</translation>
    </message>
  </context>
  <context>
    <name>ReachView</name>
    <message>
      <source>Colour: how much each earlier state still moves each prediction. Point at a row to see why.</source>
      <translation>颜色：每个较早的隐状态对每次预测仍有多大影响。指向一行即可看到原因。</translation>
    </message>
    <message>
      <source>Each row is one prediction, each column an earlier hidden state H_k: the colour is how much that state still moves the prediction (the gradient's size, log scale). A plain RNN fades within a few characters; a GRU's update gate lets the past through for longer. Point at a row or a character to colour the earlier characters by how much each drove that prediction (red: towards it, blue: against).</source>
      <translation>每一行是一次预测，每一列是一个较早的隐状态 H_k：颜色表示该隐状态对这次预测仍有多大影响（梯度的大小，对数刻度）。普通 RNN 在几个字符内就会衰减；GRU 的更新门让过去的信息保留得更久。把鼠标指向一行或一个字符，较早的字符会按其对该预测的贡献着色（红色：促成该预测，蓝色：与之相反）。</translation>
    </message>
    <message>
      <source>Train a model or open one first: there is nothing to measure yet.</source>
      <translation>请先训练或打开一个模型：目前还没有可以测量的东西。</translation>
    </message>
    <message>
      <source>Measure</source>
      <translation>测量</translation>
    </message>
    <message>
      <source>Measure how far back the model's predictions reach over the probe</source>
      <translation>测量模型在探测文本上的预测能回溯多远</translation>
    </message>
    <message>
      <source>during training, every</source>
      <translation>训练期间，每隔</translation>
    </message>
    <message>
      <source> epochs</source>
      <translation> 个迭代周期</translation>
    </message>
    <message>
      <source>Clear comparisons</source>
      <translation>清除对比</translation>
    </message>
    <message>
      <source>Draw the reach of a recorded run that saved its model, on the same probe</source>
      <translation>在同一探测文本上画出某个已保存模型的已记录运行的回溯曲线</translation>
    </message>
    <message>
      <source>characters back (distance d)</source>
      <translation>回溯的字符数（距离 d）</translation>
    </message>
    <message>
      <source>median influence at d / at 0</source>
      <translation>距离 d 处的影响中位数 / 距离 0 处</translation>
    </message>
    <message>
      <source>How far back a prediction listens</source>
      <translation>一次预测能回溯多远</translation>
    </message>
    <message>
      <source>Compare with a recorded run…</source>
      <translation>与已记录的运行对比…</translation>
    </message>
    <message>
      <source>At most {0} runs at a time: clear the comparisons first.</source>
      <translation>一次最多对比 {0} 个运行：请先清除对比。</translation>
    </message>
    <message>
      <source>this model</source>
      <translation>当前模型</translation>
    </message>
    <message>
      <source>half-life {0}</source>
      <translation>半衰期 {0}</translation>
    </message>
    <message>
      <source>reaches past the probe's start</source>
      <translation>超出探测文本的开头</translation>
    </message>
  </context>
  <context>
    <name>RecentMenu</name>
    <message>
      <source>Open &amp;Recent</source>
      <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
      <source>No recent files</source>
      <translation>没有最近打开的文件</translation>
    </message>
    <message>
      <source>&amp;Clear the list</source>
      <translation>清空列表(&amp;C)</translation>
    </message>
    <message>
      <source>model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>text</source>
      <translation>文本</translation>
    </message>
    <message>
      <source>file not found</source>
      <translation>找不到文件</translation>
    </message>
    <message>
      <source>{0}: file not found</source>
      <translation>{0}：找不到文件</translation>
    </message>
  </context>
  <context>
    <name>RunActions</name>
    <message>
      <source>No saved model</source>
      <translation>没有保存的模型</translation>
    </message>
    <message>
      <source>Run #{0} has no saved model: it was not saved, its kept model was deleted or pruned, or a later run saved over its file.</source>
      <translation>运行 #{0} 没有保存的模型：它没有保存，它保留的模型已被删除或清理，或者之后的运行覆盖了它的文件。</translation>
    </message>
    <message>
      <source>The model file is gone</source>
      <translation>模型文件已不存在</translation>
    </message>
    <message>
      <source>Run #{0} saved its model to {1}, which is no longer there (moved or deleted).</source>
      <translation>运行 #{0} 把模型保存到了 {1}，但该文件已不在那里（被移动或删除）。</translation>
    </message>
    <message>
      <source>Rename run</source>
      <translation>重命名运行</translation>
    </message>
    <message>
      <source>Name of run #{0}:</source>
      <translation>运行 #{0} 的名称：</translation>
    </message>
    <message>
      <source>Pinned 1 run: its kept model is never pruned.</source>
      <translation>已固定 1 次运行：它保留的模型永远不会被清理。</translation>
    </message>
    <message>
      <source>Pinned {0} runs: their kept models are never pruned.</source>
      <translation>已固定 {0} 次运行：它们保留的模型永远不会被清理。</translation>
    </message>
    <message>
      <source>Unpinned 1 run.</source>
      <translation>已取消固定 1 次运行。</translation>
    </message>
    <message>
      <source>Unpinned {0} runs.</source>
      <translation>已取消固定 {0} 次运行。</translation>
    </message>
    <message>
      <source>Runs not deleted</source>
      <translation>运行未删除</translation>
    </message>
    <message>
      <source>Run #{0} is still training. Stop it first, then delete it.</source>
      <translation>运行 #{0} 仍在训练。请先停止，再删除。</translation>
    </message>
    <message>
      <source>run {0}</source>
      <translation>第 {0} 次运行</translation>
    </message>
    <message>
      <source>{0} runs ({1})</source>
      <translation>{0} 次运行（{1}）</translation>
    </message>
    <message>
      <source>Deleted 1 run.</source>
      <translation>已删除 1 次运行。</translation>
    </message>
    <message>
      <source>Deleted {0} runs.</source>
      <translation>已删除 {0} 次运行。</translation>
    </message>
    <message>
      <source>Deleted {0} kept models ({1}).</source>
      <translation>已删除 {0} 个保留的模型（{1}）。</translation>
    </message>
    <message>
      <source>Tick (or select) the runs to export first.</source>
      <translation>请先勾选（或选中）要导出的运行。</translation>
    </message>
    <message>
      <source>Export runs</source>
      <translation>导出运行记录</translation>
    </message>
    <message>
      <source>CSV (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>1 run</source>
      <translation>1 次运行</translation>
    </message>
    <message>
      <source>{0} runs</source>
      <translation>{0} 次运行</translation>
    </message>
    <message>
      <source>Wrote {0}: {1}, {2} epochs</source>
      <translation>已写入 {0}：{1}，{2} 个迭代周期</translation>
    </message>
    <message>
      <source>Replace the file?</source>
      <translation>替换该文件？</translation>
    </message>
    <message>
      <source>{0} holds a GRU Studio model, which would be lost. Replace it anyway?</source>
      <translation>{0} 中是一个 GRU Studio 模型，替换后它将丢失。仍要替换吗？</translation>
    </message>
    <message>
      <source>Nothing was written</source>
      <translation>未写入任何内容</translation>
    </message>
    <message>
      <source>Run #{0} is no longer recorded.</source>
      <translation>运行 #{0} 已不在运行记录中。</translation>
    </message>
    <message>
      <source>Unpin</source>
      <translation>取消固定</translation>
    </message>
    <message>
      <source>Pin</source>
      <translation>固定</translation>
    </message>
    <message>
      <source>A pinned run's kept model is never pruned</source>
      <translation>固定的运行所保留的模型永远不会被清理</translation>
    </message>
  </context>
  <context>
    <name>RunControls</name>
    <message>
      <source>Train</source>
      <translation>训练</translation>
    </message>
    <message>
      <source>Continue</source>
      <translation>继续训练</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>暂停</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>恢复</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <source>Reset</source>
      <translation>重置</translation>
    </message>
    <message>
      <source>Train the current model on, up to the number of epochs set</source>
      <translation>在当前模型上继续训练，直到设定的迭代周期数</translation>
    </message>
    <message>
      <source>Ready</source>
      <translation>就绪</translation>
    </message>
    <message>
      <source>Training…</source>
      <translation>正在训练…</translation>
    </message>
    <message>
      <source>Paused</source>
      <translation>已暂停</translation>
    </message>
    <message>
      <source>Stopping after this batch…</source>
      <translation>将在本批量结束后停止…</translation>
    </message>
    <message>
      <source>Finished</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>Stopped</source>
      <translation>已停止</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>Choose a text to train on.</source>
      <translation>请选择用于训练的文本。</translation>
    </message>
    <message>
      <source>continued</source>
      <translation>继续训练</translation>
    </message>
    <message>
      <source>{model}, {text}, lr {lr}, {epochs}</source>
      <translation>{model}，{text}，学习率 {lr}，{epochs}</translation>
    </message>
    <message>
      <source>1 epoch</source>
      <translation>1 个迭代周期</translation>
    </message>
    <message numerus="yes">
      <source>%n epochs</source>
      <translation>
        <numerusform>%n 个迭代周期</numerusform>
      </translation>
    </message>
    <message>
      <source>Set Epochs above {0} to continue training this model.</source>
      <translation>请把迭代周期数设为大于 {0}，才能继续训练此模型。</translation>
    </message>
    <message>
      <source>Finished after {0}</source>
      <translation>训练完成，共 {0}</translation>
    </message>
    <message>
      <source>Stopped after {0}</source>
      <translation>已在 {0} 后停止</translation>
    </message>
    <message>
      <source>, perplexity {0}</source>
      <translation>，困惑度 {0}</translation>
    </message>
    <message>
      <source>, {0} tokens/s overall</source>
      <translation>，总体 {0} 词元/秒</translation>
    </message>
    <message>
      <source>Training failed</source>
      <translation>训练失败</translation>
    </message>
  </context>
  <context>
    <name>RunCurves</name>
    <message>
      <source>run {0}</source>
      <translation>第 {0} 次运行</translation>
    </message>
    <message>
      <source>{0}: {1}</source>
      <translation>{0}：{1}</translation>
    </message>
  </context>
  <context>
    <name>RunSetup</name>
    <message>
      <source>Loading the text…</source>
      <translation>正在加载文本…</translation>
    </message>
    <message>
      <source>Choose a text to train on.</source>
      <translation>请选择用于训练的文本。</translation>
    </message>
  </context>
  <context>
    <name>RunStatus</name>
    <message>
      <source>no run yet</source>
      <translation>尚未训练</translation>
    </message>
    <message>
      <source>epoch %v of %m</source>
      <translation>迭代周期 %v / %m</translation>
    </message>
    <message>
      <source>done · %v of %m epochs</source>
      <translation>完成 · %v / %m 个迭代周期</translation>
    </message>
    <message>
      <source>stopped at epoch %v of %m</source>
      <translation>停止于迭代周期 %v / %m</translation>
    </message>
    <message>
      <source>failed at epoch %v of %m</source>
      <translation>失败于迭代周期 %v / %m</translation>
    </message>
    <message>
      <source>epoch {epoch}, batch {batch} of {batches}</source>
      <translation>迭代周期 {epoch}，批量 {batch} / {batches}</translation>
    </message>
    <message>
      <source>perplexity —</source>
      <translation>困惑度 —</translation>
    </message>
    <message>
      <source>perplexity {perplexity}</source>
      <translation>困惑度 {perplexity}</translation>
    </message>
    <message>
      <source>perplexity {perplexity} · val {val}</source>
      <translation>困惑度 {perplexity} · 验证 {val}</translation>
    </message>
    <message>
      <source>{speed} tokens/s overall</source>
      <translation>总体 {speed} 词元/秒</translation>
    </message>
    <message>
      <source>All this run's tokens over all its training time (evaluation, samples and pauses excluded). The Runs table's Mean tokens/s is the mean of the epochs' speeds: higher when some epochs were slower than others.</source>
      <translation>本次运行的全部词元除以全部训练时间（不含评估、采样和暂停）。运行记录表中的“各轮平均词元/秒”是各迭代周期速度的平均值：当某些迭代周期比其他的慢时，它会更高。</translation>
    </message>
    <message>
      <source>{speed} tokens/s</source>
      <translation>{speed} 词元/秒</translation>
    </message>
    <message>
      <source>Training speed of the last epoch</source>
      <translation>上一个迭代周期的训练速度</translation>
    </message>
    <message>
      <source>— tokens/s</source>
      <translation>— 词元/秒</translation>
    </message>
    <message>
      <source>first measurement</source>
      <translation>首次测量</translation>
    </message>
    <message>
      <source>checked again</source>
      <translation>定期复查</translation>
    </message>
    <message>
      <source>training stalled</source>
      <translation>训练停顿</translation>
    </message>
    <message>
      <source>training slowed down</source>
      <translation>训练变慢</translation>
    </message>
    <message>
      <source>training sped up</source>
      <translation>训练变快</translation>
    </message>
    <message>
      <source>the cores were free again</source>
      <translation>核心重新空闲</translation>
    </message>
    <message>
      <source>CPU threads, chosen by measuring:</source>
      <translation>CPU 线程数（测量后选定）：</translation>
    </message>
    <message>
      <source>{threads}: stalled</source>
      <translation>{threads}：停顿</translation>
    </message>
    <message>
      <source>{threads}: {speed} tokens/s</source>
      <translation>{threads}：{speed} 词元/秒</translation>
    </message>
    <message>
      <source>epoch {epoch}, batch {batch} → {threads} ({reason}; {speeds})</source>
      <translation>迭代周期 {epoch}，批量 {batch} → {threads}（{reason}；{speeds}）</translation>
    </message>
    <message>
      <source>failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>done in {time}</source>
      <translation>用时 {time} 完成</translation>
    </message>
    <message>
      <source>stopped after {time}</source>
      <translation>{time} 后停止</translation>
    </message>
    <message>
      <source>{elapsed} elapsed · {left} left</source>
      <translation>已用 {elapsed} · 剩余 {left}</translation>
    </message>
    <message>
      <source>starting…</source>
      <translation>正在开始…</translation>
    </message>
  </context>
  <context>
    <name>RunsTableModel</name>
    <message>
      <source>{0} s</source>
      <translation>{0} 秒</translation>
    </message>
    <message>
      <source>{0} min {1} s</source>
      <translation>{0} 分 {1} 秒</translation>
    </message>
    <message>
      <source>{0} h {1} min</source>
      <translation>{0} 小时 {1} 分</translation>
    </message>
    <message>
      <source>Run</source>
      <translation>运行</translation>
    </message>
    <message>
      <source>The run's number in the run store, and its name</source>
      <translation>该运行在运行记录中的编号及其名称</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>The model trained</source>
      <translation>所训练的模型</translation>
    </message>
    <message>
      <source>Gates</source>
      <translation>门</translation>
    </message>
    <message>
      <source>The scratch GRU's gates: full, or one of them fixed</source>
      <translation>从零实现的 GRU 的门：完整，或固定其中一个</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
    <message>
      <source>The text it trained on</source>
      <translation>训练所用的文本</translation>
    </message>
    <message>
      <source>Hidden</source>
      <translation>隐藏单元</translation>
    </message>
    <message>
      <source>Hidden units</source>
      <translation>隐藏单元数</translation>
    </message>
    <message>
      <source>Layers</source>
      <translation>层数</translation>
    </message>
    <message>
      <source>Layers (nn.GRU)</source>
      <translation>层数 (nn.GRU)</translation>
    </message>
    <message>
      <source>LR</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Steps</source>
      <translation>时间步数</translation>
    </message>
    <message>
      <source>Time steps per sequence</source>
      <translation>每个序列的时间步数</translation>
    </message>
    <message>
      <source>Batch</source>
      <translation>批量</translation>
    </message>
    <message>
      <source>Batch size</source>
      <translation>批量大小</translation>
    </message>
    <message>
      <source>Clip θ</source>
      <translation>裁剪 θ</translation>
    </message>
    <message>
      <source>Gradient norm clipped to θ (0: no clipping)</source>
      <translation>梯度裁剪：梯度范数裁剪到 θ（0：不裁剪）</translation>
    </message>
    <message>
      <source>Batching</source>
      <translation>分批方式</translation>
    </message>
    <message>
      <source>Sequential (state carried) or random batches</source>
      <translation>顺序分区（保留隐状态）或随机采样</translation>
    </message>
    <message>
      <source>Optimizer</source>
      <translation>优化器</translation>
    </message>
    <message>
      <source>The optimizer</source>
      <translation>所用的优化器</translation>
    </message>
    <message>
      <source>Seed</source>
      <translation>种子</translation>
    </message>
    <message>
      <source>Random seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <source>Where it trained</source>
      <translation>训练所用的设备</translation>
    </message>
    <message>
      <source>Epochs</source>
      <translation>迭代周期</translation>
    </message>
    <message>
      <source>Epochs trained, of those asked for</source>
      <translation>已训练的迭代周期数 / 设定的迭代周期数</translation>
    </message>
    <message>
      <source>Best ppl</source>
      <translation>最佳困惑度</translation>
    </message>
    <message>
      <source>The lowest validation perplexity and its epoch (training perplexity when no text was held out)</source>
      <translation>最低的验证困惑度及其迭代周期（未留出验证文本时为训练困惑度）</translation>
    </message>
    <message>
      <source>Final ppl</source>
      <translation>最终困惑度</translation>
    </message>
    <message>
      <source>Training perplexity at the last epoch</source>
      <translation>最后一个迭代周期的训练困惑度</translation>
    </message>
    <message>
      <source>Mean tokens/s</source>
      <translation>各轮平均词元/秒</translation>
    </message>
    <message>
      <source>The mean of the epochs' training speeds (each epoch's tokens over its training time; evaluation excluded). The status bar's "overall" figure after a run is all its tokens over all its training time: lower when some epochs were slower than others.</source>
      <translation>各迭代周期训练速度的平均值（每个迭代周期的词元数除以其训练时间；不含评估）。运行结束后状态栏中的“总体”数值是全部词元除以全部训练时间：当某些迭代周期比其他的慢时，它会更低。</translation>
    </message>
    <message>
      <source>Duration</source>
      <translation>用时</translation>
    </message>
    <message>
      <source>Wall time from start to end</source>
      <translation>从开始到结束的实际时间</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>running, finished, stopped, diverged or crashed</source>
      <translation>运行中、已完成、已停止、已发散或已崩溃</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>When it started</source>
      <translation>开始时间</translation>
    </message>
    <message>
      <source>Pinned: its kept model is never pruned to keep the models folder in its budget</source>
      <translation>已固定：它保留的模型永远不会因模型文件夹超出预算而被清理</translation>
    </message>
    <message>
      <source>running</source>
      <translation>运行中</translation>
    </message>
    <message>
      <source>finished</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>stopped</source>
      <translation>已停止</translation>
    </message>
    <message>
      <source>diverged</source>
      <translation>已发散</translation>
    </message>
    <message>
      <source>crashed</source>
      <translation>已崩溃</translation>
    </message>
    <message>
      <source>full</source>
      <translation>完整</translation>
    </message>
    <message>
      <source>reset gate only</source>
      <translation>仅重置门</translation>
    </message>
    <message>
      <source>update gate only</source>
      <translation>仅更新门</translation>
    </message>
    <message>
      <source>sequential</source>
      <translation>顺序</translation>
    </message>
    <message>
      <source>random</source>
      <translation>随机</translation>
    </message>
    <message>
      <source>{0} @{1}</source>
      <translation>{0} @{1}</translation>
    </message>
    <message>
      <source>Model saved to {0}</source>
      <translation>模型已保存到 {0}</translation>
    </message>
    <message>
      <source>The lowest validation perplexity, first reached at epoch {0}</source>
      <translation>最低的验证困惑度，首次在第 {0} 个迭代周期达到</translation>
    </message>
    <message>
      <source>No text was held out: the lowest training perplexity, first reached at epoch {0}</source>
      <translation>未留出验证文本：最低的训练困惑度，首次在第 {0} 个迭代周期达到</translation>
    </message>
    <message>
      <source>Tick to draw this run's curves on the plot</source>
      <translation>勾选后在图上绘制该运行的曲线</translation>
    </message>
  </context>
  <context>
    <name>RunsView</name>
    <message>
      <source>Only differing columns</source>
      <translation>只显示不同的列</translation>
    </message>
    <message>
      <source>Hide the settings that are the same in every listed run; the results always show</source>
      <translation>隐藏所有列出的运行中都相同的设置；结果列始终显示</translation>
    </message>
    <message>
      <source>Open model</source>
      <translation>打开模型</translation>
    </message>
    <message>
      <source>Train again</source>
      <translation>再次训练</translation>
    </message>
    <message>
      <source>Rename…</source>
      <translation>重命名…</translation>
    </message>
    <message>
      <source>Delete…</source>
      <translation>删除…</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>导出 CSV…</translation>
    </message>
    <message>
      <source>Open the model this run saved, to generate or train on</source>
      <translation>打开该运行保存的模型，用于生成或继续训练</translation>
    </message>
    <message>
      <source>Fill in this run's settings and text, and train a new model</source>
      <translation>填入该运行的设置和文本，并训练一个新模型</translation>
    </message>
    <message>
      <source>Write the ticked runs' epochs (or the selected runs' when none is ticked) to one CSV file</source>
      <translation>把勾选的运行（若未勾选则为所选的运行）的各迭代周期写入一个 CSV 文件</translation>
    </message>
    <message>
      <source>Runs cannot be listed: {0}</source>
      <translation>无法列出运行记录：{0}</translation>
    </message>
    <message>
      <source>No runs yet: every run you train is recorded here.</source>
      <translation>还没有运行：你训练的每次运行都会记录在这里。</translation>
    </message>
    <message>
      <source>Forget the selected runs; you are asked whether their kept models go too</source>
      <translation>删除选中的运行；会询问是否一并删除它们保留的模型</translation>
    </message>
    <message>
      <source>1 run</source>
      <translation>1 次运行</translation>
    </message>
    <message>
      <source>{0} runs</source>
      <translation>{0} 次运行</translation>
    </message>
    <message>
      <source>Run #{0} is the one training now: its curve is already drawn.</source>
      <translation>运行 #{0} 正在训练：它的曲线已经画出。</translation>
    </message>
    <message>
      <source>Run #{0} has no epoch recorded yet: nothing to draw.</source>
      <translation>运行 #{0} 还没有记录任何迭代周期：没有可画的内容。</translation>
    </message>
    <message>
      <source>Cannot train again</source>
      <translation>无法再次训练</translation>
    </message>
    <message>
      <source>Run #{0} has no settings recorded.</source>
      <translation>运行 #{0} 没有记录设置。</translation>
    </message>
    <message>
      <source>The run store is busy: another GRU Studio process is writing it. Nothing was changed; try again in a moment.</source>
      <translation>运行记录库正忙：另一个 GRU Studio 进程正在写入。没有做任何更改；请稍后再试。</translation>
    </message>
    <message>
      <source>The run store could not be read or written: {0}</source>
      <translation>无法读写运行记录库：{0}</translation>
    </message>
  </context>
  <context>
    <name>SaturationPlot</name>
    <message>
      <source>Z (update gate)</source>
      <translation>Z（更新门）</translation>
    </message>
    <message>
      <source>R (reset gate)</source>
      <translation>R（重置门）</translation>
    </message>
    <message>
      <source>Gate saturation, a point per unit</source>
      <translation>门的饱和度，每个单元一个点</translation>
    </message>
    <message>
      <source>shut: below 0.1</source>
      <translation>关闭：低于 0.1</translation>
    </message>
    <message>
      <source>open: above 0.9</source>
      <translation>打开：高于 0.9</translation>
    </message>
    <message>
      <source>For each unit, how often its gate is nearly shut (below 0.1) and how often nearly open (above 0.9). Z mostly open: the unit keeps its memory. R mostly shut: the candidate ignores the past.</source>
      <translation>对每个单元，其门几乎关闭（低于 0.1）和几乎打开（高于 0.9）的频率。Z 大多打开：该单元保持记忆。R 大多关闭：候选隐状态忽略过去。</translation>
    </message>
  </context>
  <context>
    <name>SettingsPanel</name>
    <message>
      <source>sequential (state carried)</source>
      <translation>顺序分区（隐状态延续）</translation>
    </message>
    <message>
      <source>random</source>
      <translation>随机采样</translation>
    </message>
    <message>
      <source>full: update and reset gates</source>
      <translation>完整：更新门和重置门</translation>
    </message>
    <message>
      <source>reset gate only (Z = 0)</source>
      <translation>仅重置门（Z = 0）</translation>
    </message>
    <message>
      <source>update gate only (R = 1)</source>
      <translation>仅更新门（R = 1）</translation>
    </message>
    <message>
      <source>Book: GRU from scratch</source>
      <translation>书中：从零实现的 GRU</translation>
    </message>
    <message>
      <source>Book: nn.GRU</source>
      <translation>书中：nn.GRU</translation>
    </message>
    <message>
      <source>Custom</source>
      <translation>自定义</translation>
    </message>
    <message>
      <source>Hidden units</source>
      <translation>隐藏单元数</translation>
    </message>
    <message>
      <source>Layers</source>
      <translation>层数</translation>
    </message>
    <message>
      <source>Dropout</source>
      <translation>暂退法（Dropout）</translation>
    </message>
    <message>
      <source>Gates</source>
      <translation>门</translation>
    </message>
    <message>
      <source>Epochs</source>
      <translation>迭代周期数</translation>
    </message>
    <message>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Optimizer</source>
      <translation>优化器</translation>
    </message>
    <message>
      <source>Batch size</source>
      <translation>批量大小</translation>
    </message>
    <message>
      <source>Time steps</source>
      <translation>时间步数</translation>
    </message>
    <message>
      <source>Gradient clip θ</source>
      <translation>梯度裁剪 θ</translation>
    </message>
    <message>
      <source>Seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Sample every</source>
      <translation>预测样例间隔</translation>
    </message>
    <message>
      <source>Batches</source>
      <translation>小批量划分</translation>
    </message>
    <message>
      <source>Validation</source>
      <translation>验证集比例</translation>
    </message>
    <message>
      <source>CPU threads</source>
      <translation>CPU 线程数</translation>
    </message>
    <message>
      <source>How many numbers the model keeps as its memory of the text so far. More units can learn more, but train more slowly (the book uses 256).</source>
      <translation>模型用多少个数记住到目前为止的文本。单元越多能学到的越多，但训练越慢（书中用 256）。</translation>
    </message>
    <message>
      <source>How many GRU layers are stacked, each reading the states of the one below (the PyTorch built-in models only; the book uses 1).</source>
      <translation>堆叠多少层 GRU，每层读取下一层的状态（仅限 PyTorch 内置模型；书中用 1）。</translation>
    </message>
    <message>
      <source>The share of each layer's outputs set to zero at random while training, between stacked layers: it fights memorising, and does nothing with one layer.</source>
      <translation>训练时在堆叠层之间随机置零的各层输出所占比例：用于抑制死记硬背，只有一层时不起作用。</translation>
    </message>
    <message>
      <source>Which of the GRU's two gates work (the scratch GRUs only). Full: both, as in the book. Reset gate only: the update gate is held shut, so each unit takes its new candidate at every character and keeps nothing of its old state by itself. Update gate only: the reset gate is held open, so the candidate always sees the whole old state (the book's exercise).</source>
      <translation>GRU 的两个门中哪些起作用（仅限从零实现的 GRU）。完整：两个门都起作用，与书中相同。仅重置门：更新门保持关闭，因此每个单元在每个字符处都采用新的候选状态，自身不保留任何旧状态。仅更新门：重置门保持打开，因此候选状态总能看到完整的旧状态（书中的练习）。</translation>
    </message>
    <message>
      <source>How many times training goes through the whole training text (the book uses 500).</source>
      <translation>训练遍历整个训练文本的次数（书中用 500）。</translation>
    </message>
    <message>
      <source>How big a step the optimizer takes after each batch. Too big and the perplexity jumps or explodes; too small and it falls slowly. The book uses 1 with SGD; Adam wants about 0.01.</source>
      <translation>优化器在每个批次之后迈出的步子有多大。太大则困惑度跳动或发散；太小则下降缓慢。书中 SGD 用 1；Adam 约需 0.01。</translation>
    </message>
    <message>
      <source>How the gradients change the weights: SGD steps straight down the gradient (the book's); Adam adapts each weight's step size and wants a much smaller learning rate.</source>
      <translation>梯度如何改变权重：SGD 直接沿梯度下降（书中所用）；Adam 为每个权重自适应步长，需要小得多的学习率。</translation>
    </message>
    <message>
      <source>How many passages of the text are trained on side by side in one step (the book uses 32). A short text gives few batches an epoch at a large batch size.</source>
      <translation>每一步并行训练多少段文本（书中用 32）。文本较短时，批量大小越大，每轮的批次越少。</translation>
    </message>
    <message>
      <source>How many characters each passage has: how far back the gradient reaches (the book uses 35).</source>
      <translation>每段文本有多少个字符：即梯度能回溯多远（书中用 35）。</translation>
    </message>
    <message>
      <source>The largest length the gradient may have before a step; a longer one is scaled down to it, so one bad batch cannot throw the weights far. 0 turns clipping off (the book uses 1).</source>
      <translation>每一步之前梯度允许的最大长度；更长的梯度会被缩放到这个长度，这样一个坏批次不会把权重甩得太远。0 表示关闭裁剪（书中用 1）。</translation>
    </message>
    <message>
      <source>The starting point of the random numbers (first weights, batch order): the same seed and settings train the same model again on the CPU.</source>
      <translation>随机数的起点（初始权重、批次顺序）：在 CPU 上，相同的种子和设置会再次训练出相同的模型。</translation>
    </message>
    <message>
      <source>Every how many epochs the model writes a sample from the prefix, shown under Generate; off: never.</source>
      <translation>模型每隔多少轮根据前缀写一段样例，显示在“生成”下；关闭：从不。</translation>
    </message>
    <message>
      <source>How the text is cut into batches. Sequential: each batch continues where the last one stopped, and the model's state is carried over. Random: passages from anywhere, each starting afresh.</source>
      <translation>文本如何切分为批次。顺序：每个批次从上一个批次停下处继续，模型状态随之延续。随机：从任意位置取段落，每段都重新开始。</translation>
    </message>
    <message>
      <source>The share of the text, at its end, kept out of training to measure the validation perplexity: how well the model does on text it never learned from. 0: none.</source>
      <translation>文本末尾不参与训练、用于计算验证困惑度的部分所占比例：即模型在从未学过的文本上表现如何。0：不留。</translation>
    </message>
    <message>
      <source>How many CPU cores training uses. Automatic tries 1 and one per core while training and keeps the faster; on a busy machine more threads can be much slower.</source>
      <translation>训练使用多少个 CPU 核心。自动：训练时分别尝试 1 个线程和每核一个线程，保留较快的那个；在繁忙的机器上，线程越多可能反而慢得多。</translation>
    </message>
    <message>
      <source>Model and training</source>
      <translation>模型与训练</translation>
    </message>
    <message>
      <source>Load the book's settings; editing any value makes it Custom</source>
      <translation>载入书中的设置；修改任何值都会变为“自定义”</translation>
    </message>
    <message>
      <source>Where the model trains; devices that are not available are shown greyed out</source>
      <translation>模型在哪个设备上训练；不可用的设备显示为灰色</translation>
    </message>
    <message>
      <source>Preset</source>
      <translation>预设</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <source>Autosave every</source>
      <translation>自动保存间隔</translation>
    </message>
    <message>
      <source>automatic</source>
      <translation>自动</translation>
    </message>
    <message>
      <source>Which network to train; the note under it says how the models differ</source>
      <translation>训练哪种网络；下方的说明介绍各模型的区别</translation>
    </message>
    <message>
      <source>Save the model every N epochs and when a run is stopped, to the autosave file, so that a crash or a closed window loses little; off: never</source>
      <translation>每 N 轮以及运行停止时把模型保存到自动保存文件，这样崩溃或关闭窗口时损失很少；关闭：从不</translation>
    </message>
    <message>
      <source>off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source> epochs</source>
      <translation> 个迭代周期</translation>
    </message>
  </context>
  <context>
    <name>ShortcutsDialog</name>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>键盘快捷键</translation>
    </message>
    <message>
      <source>Where</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>Command</source>
      <translation>命令</translation>
    </message>
    <message>
      <source>Keys</source>
      <translation>按键</translation>
    </message>
    <message>
      <source>Tab and Shift+Tab move between controls; the arrow keys move within a list, a table or the heat strip. In a menu, the underlined letter picks an entry.</source>
      <translation>Tab 和 Shift+Tab 在控件之间移动；方向键在列表、表格或热图条内移动。在菜单中，按带下划线的字母即可选择该项。</translation>
    </message>
  </context>
  <context>
    <name>SweepDialog</name>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Gates</source>
      <translation>门</translation>
    </message>
    <message>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Hidden units</source>
      <translation>隐藏单元</translation>
    </message>
    <message>
      <source>Layers</source>
      <translation>层数</translation>
    </message>
    <message>
      <source>Dropout</source>
      <translation>暂退法（dropout）</translation>
    </message>
    <message>
      <source>Batch size</source>
      <translation>批量大小</translation>
    </message>
    <message>
      <source>Time steps</source>
      <translation>时间步数</translation>
    </message>
    <message>
      <source>Gradient clip θ</source>
      <translation>梯度裁剪 θ</translation>
    </message>
    <message>
      <source>Optimizer</source>
      <translation>优化器</translation>
    </message>
    <message>
      <source>Epochs</source>
      <translation>迭代周期</translation>
    </message>
    <message>
      <source>Seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Batches</source>
      <translation>批量划分</translation>
    </message>
    <message>
      <source>Sweep</source>
      <translation>参数扫描</translation>
    </message>
    <message>
      <source>Train one run for each combination of the values of one or two settings, one after another. Every other setting is the panel's; every run is recorded in the run history.</source>
      <translation>为一到两个设置的取值的每种组合各训练一次，依次进行。其他设置取自设置面板；每次运行都会记入运行记录。</translation>
    </message>
    <message>
      <source>and</source>
      <translation>以及</translation>
    </message>
    <message>
      <source>Setting {0} to vary</source>
      <translation>要变化的设置 {0}</translation>
    </message>
    <message>
      <source>Values of setting {0}</source>
      <translation>设置 {0} 的取值</translation>
    </message>
    <message>
      <source>(nothing else)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>values, separated by commas: 0.5, 1, 2, 4</source>
      <translation>取值，用逗号分隔：0.5, 1, 2, 4</translation>
    </message>
    <message>
      <source>The values of this setting to train with, separated by commas</source>
      <translation>用于训练的该设置的取值，用逗号分隔</translation>
    </message>
    <message>
      <source>Start sweep</source>
      <translation>开始扫描</translation>
    </message>
    <message>
      <source>now {value}</source>
      <translation>当前 {value}</translation>
    </message>
    <message>
      <source>Choose two different settings, or nothing for the second.</source>
      <translation>请选择两个不同的设置，或第二个选“无”。</translation>
    </message>
    <message>
      <source>Type the values to try, separated by commas.</source>
      <translation>请输入要尝试的取值，用逗号分隔。</translation>
    </message>
    <message>
      <source>Choose a text to train on first.</source>
      <translation>请先选择用于训练的文本。</translation>
    </message>
    <message>
      <source>{count} runs, trained one after another: {first} … {last}</source>
      <translation>共 {count} 次运行，依次训练：{first} … {last}</translation>
    </message>
    <message>
      <source>{setting} {value}: {problem}</source>
      <translation>{setting} {value}：{problem}</translation>
    </message>
    <message>
      <source>{setting}: {problem}</source>
      <translation>{setting}：{problem}</translation>
    </message>
    <message>
      <source>Nothing to sweep yet: give one of the settings two values or more, separated by commas.</source>
      <translation>还没有可扫描的内容：请为其中一个设置给出两个或更多的值，用逗号分隔。</translation>
    </message>
  </context>
  <context>
    <name>SweepQueue</name>
    <message>
      <source>waiting</source>
      <translation>等待中</translation>
    </message>
    <message>
      <source>training</source>
      <translation>训练中</translation>
    </message>
    <message>
      <source>done</source>
      <translation>完成</translation>
    </message>
    <message>
      <source>failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>skipped</source>
      <translation>已跳过</translation>
    </message>
    <message>
      <source>S&amp;weep…</source>
      <translation>参数扫描(&amp;W)…</translation>
    </message>
    <message>
      <source>Train one run per combination of the values of one or two settings</source>
      <translation>为一到两个设置的取值的每种组合各训练一次</translation>
    </message>
    <message>
      <source>New sweep…</source>
      <translation>新建扫描…</translation>
    </message>
    <message>
      <source>Skip run</source>
      <translation>跳过此次运行</translation>
    </message>
    <message>
      <source>Stop the run under way (it is recorded as stopped) and go on</source>
      <translation>停止当前运行（记为已停止）并继续下一次</translation>
    </message>
    <message>
      <source>Cancel sweep</source>
      <translation>取消扫描</translation>
    </message>
    <message>
      <source>Stop the run under way and skip the runs still waiting</source>
      <translation>停止当前运行，并跳过所有仍在等待的运行</translation>
    </message>
    <message>
      <source>Run</source>
      <translation>运行</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Perplexity</source>
      <translation>困惑度</translation>
    </message>
    <message>
      <source>Best validation</source>
      <translation>最佳验证困惑度</translation>
    </message>
    <message>
      <source>Tokens/s</source>
      <translation>词元/秒</translation>
    </message>
    <message>
      <source>In run history</source>
      <translation>运行记录中</translation>
    </message>
    <message>
      <source>A sweep is under way: cancel it first to start another.</source>
      <translation>已有扫描正在进行：请先取消它，再开始新的扫描。</translation>
    </message>
    <message>
      <source>The run could not start.</source>
      <translation>此次运行无法开始。</translation>
    </message>
    <message>
      <source>Sample: {text}</source>
      <translation>样例：{text}</translation>
    </message>
    <message>
      <source>No sweep yet. A sweep trains one run per combination of the values of one or two settings, one after another (Run ▸ Sweep…).</source>
      <translation>还没有扫描。扫描为一到两个设置的取值的每种组合各训练一次，依次进行（运行 ▸ 参数扫描…）。</translation>
    </message>
    <message>
      <source>Sweep paused: {done} of {total} runs done, {failed} failed, {skipped} skipped</source>
      <translation>扫描已暂停：{total} 次运行中 {done} 次完成，{failed} 次失败，{skipped} 次跳过</translation>
    </message>
    <message>
      <source>Sweep: {done} of {total} runs done, {failed} failed, {skipped} skipped</source>
      <translation>扫描：{total} 次运行中 {done} 次完成，{failed} 次失败，{skipped} 次跳过</translation>
    </message>
    <message>
      <source>Sweep ended: {done} of {total} runs done, {failed} failed, {skipped} skipped</source>
      <translation>扫描结束：{total} 次运行中 {done} 次完成，{failed} 次失败，{skipped} 次跳过</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>继续</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>暂停</translation>
    </message>
    <message>
      <source>Go on with the sweep</source>
      <translation>继续扫描</translation>
    </message>
    <message>
      <source>Pause the run under way and start no other until Resume</source>
      <translation>暂停当前运行，点“继续”之前不开始其他运行</translation>
    </message>
    <message>
      <source>Sweep ended: {done} of {total} runs done; each is in the run history.</source>
      <translation>扫描结束：{total} 次运行中 {done} 次完成；每次都已记入运行记录。</translation>
    </message>
  </context>
  <context>
    <name>SweepRunner</name>
    <message>
      <source>sweep {index}/{count} · {values}</source>
      <translation>参数扫描 {index}/{count} · {values}</translation>
    </message>
  </context>
  <context>
    <name>TrainAgain</name>
    <message>
      <source>Stop the training first, then train run #{0} again.</source>
      <translation>请先停止训练，再重新训练运行 #{0}。</translation>
    </message>
    <message>
      <source>Not used, out of range now: {0}</source>
      <translation>未使用（现已超出范围）：{0}</translation>
    </message>
  </context>
  <context>
    <name>ViewBox</name>
    <message>
      <source>View All</source>
      <translation>显示全部</translation>
    </message>
    <message>
      <source>ViewBox options</source>
      <translation>视图选项</translation>
    </message>
    <message>
      <source>axis</source>
      <translation>轴</translation>
    </message>
    <message>
      <source>Mouse Mode</source>
      <translation>鼠标模式</translation>
    </message>
    <message>
      <source>3 button</source>
      <translation>三键模式</translation>
    </message>
    <message>
      <source>1 button</source>
      <translation>单键模式</translation>
    </message>
  </context>
  <context>
    <name>ViewMenu</name>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>&amp;Theme</source>
      <translation>主题(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;System</source>
      <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Light</source>
      <translation>浅色(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;Dark</source>
      <translation>深色(&amp;D)</translation>
    </message>
  </context>
  <context>
    <name>WhatIfPanel</name>
    <message>
      <source>Z = 1: the state is kept, nothing new is written</source>
      <translation>Z = 1：保留隐状态，不写入任何新信息</translation>
    </message>
    <message>
      <source>Z = 0: the state is replaced by the candidate at every step</source>
      <translation>Z = 0：每一步都用候选隐状态替换隐状态</translation>
    </message>
    <message>
      <source>R = 0: the candidate ignores the past, it reads the character alone</source>
      <translation>R = 0：候选隐状态忽略过去，只读取当前字符</translation>
    </message>
    <message>
      <source>Hold</source>
      <translation>固定</translation>
    </message>
    <message>
      <source>at</source>
      <translation>为</translation>
    </message>
    <message>
      <source>from character</source>
      <translation>从字符</translation>
    </message>
    <message>
      <source>to</source>
      <translation>到</translation>
    </message>
    <message>
      <source>only the unit selected in the strip</source>
      <translation>仅热图条中选中的单元</translation>
    </message>
    <message>
      <source>Apply</source>
      <translation>应用</translation>
    </message>
    <message>
      <source>Clear</source>
      <translation>清除</translation>
    </message>
    <message>
      <source>Generate</source>
      <translation>生成</translation>
    </message>
    <message>
      <source>Continue the probe greedily with the clamp held</source>
      <translation>在固定门的情况下，用贪心方式续写探测文本</translation>
    </message>
    <message>
      <source>The probe's perplexity: {0}</source>
      <translation>探测文本的困惑度：{0}</translation>
    </message>
    <message>
      <source>The probe's perplexity: {0} as trained, {1} with the clamp</source>
      <translation>探测文本的困惑度：训练所得 {0}，固定门后 {1}</translation>
    </message>
    <message>
      <source>With the clamp the model writes: {0}</source>
      <translation>固定门后模型写出：{0}</translation>
    </message>
  </context>
  <context>
    <name>engine</name>
    <message>
      <source>{field}: {problem}</source>
      <translation>{field}：{problem}</translation>
    </message>
    <message>
      <source>must be one of {choices}, not {value!r}</source>
      <translation>必须是 {choices} 之一，而不是 {value!r}</translation>
    </message>
    <message>
      <source>must be 40 hexadecimal digits</source>
      <translation>必须是 40 位十六进制数字</translation>
    </message>
    <message>
      <source>is missing or not a table of tensors</source>
      <translation>缺失，或不是张量表</translation>
    </message>
    <message>
      <source>must be a list of characters</source>
      <translation>必须是字符列表</translation>
    </message>
    <message>
      <source>must start with {unk} and hold at least 2 characters</source>
      <translation>必须以 {unk} 开头，并且至少还包含 2 个字符</translation>
    </message>
    <message>
      <source>must hold distinct single characters after {unk}</source>
      <translation>{unk} 之后必须是互不相同的单个字符</translation>
    </message>
    <message>
      <source>must be a list of records</source>
      <translation>必须是记录列表</translation>
    </message>
    <message>
      <source>must be a record</source>
      <translation>必须是一条记录</translation>
    </message>
    <message>
      <source>is missing</source>
      <translation>缺失</translation>
    </message>
    <message>
      <source>{number} is out of order (after {previous}, at most {epoch})</source>
      <translation>{number} 顺序不对（应大于 {previous}，且不超过 {epoch}）</translation>
    </message>
    <message>
      <source>must be a finite number, not {value!r}</source>
      <translation>必须是有限的数，而不是 {value!r}</translation>
    </message>
    <message>
      <source>lacks tensor(s) {names}</source>
      <translation>缺少张量 {names}</translation>
    </message>
    <message>
      <source>has unknown tensor(s) {names}</source>
      <translation>含有未知的张量 {names}</translation>
    </message>
    <message>
      <source>weight {name}</source>
      <translation>权重 {name}</translation>
    </message>
    <message>
      <source>must be a tensor, not {kind}</source>
      <translation>必须是张量，而不是 {kind}</translation>
    </message>
    <message>
      <source>has shape {shape}, expected {expected}</source>
      <translation>形状为 {shape}，应为 {expected}</translation>
    </message>
    <message>
      <source>is {dtype}, expected {expected}</source>
      <translation>类型为 {dtype}，应为 {expected}</translation>
    </message>
    <message>
      <source>holds {bad} NaN or infinite value(s) of {count}</source>
      <translation>{count} 个值中有 {bad} 个是 NaN 或无穷大</translation>
    </message>
    <message>
      <source>must be a table of states</source>
      <translation>必须是状态表</translation>
    </message>
    <message>
      <source>must be a list of generator states</source>
      <translation>必须是随机数生成器状态的列表</translation>
    </message>
    <message>
      <source>must hold 'state' and 'param_groups'</source>
      <translation>必须包含 'state' 和 'param_groups'</translation>
    </message>
    <message>
      <source>must be one group</source>
      <translation>必须恰好是一个参数组</translation>
    </message>
    <message>
      <source>must number the model's {count}</source>
      <translation>必须依次编号模型的 {count} 个参数</translation>
    </message>
    <message>
      <source>must be a positive number, not {value!r}</source>
      <translation>必须是正数，而不是 {value!r}</translation>
    </message>
    <message>
      <source>is not the state of {optimizer}, the run's optimizer</source>
      <translation>不是本次运行所用优化器 {optimizer} 的状态</translation>
    </message>
    <message>
      <source>names no parameter of the model</source>
      <translation>不对应模型的任何参数</translation>
    </message>
    <message>
      <source>must be a table of tensors</source>
      <translation>必须是张量表</translation>
    </message>
    <message>
      <source>is not a generator state ({error})</source>
      <translation>不是随机数生成器状态（{error}）</translation>
    </message>
    <message>
      <source>must be a table of settings</source>
      <translation>必须是设置表</translation>
    </message>
    <message>
      <source>must be a whole number, 0 or more, not {value!r}</source>
      <translation>必须是大于或等于 0 的整数，而不是 {value!r}</translation>
    </message>
    <message>
      <source>must be text, not {value!r}</source>
      <translation>必须是文本，而不是 {value!r}</translation>
    </message>
    <message>
      <source>The {what} has {tokens:,} tokens, fewer than one batch needs (about {needed:,} for batch size {batch_size} x {num_steps} steps). Use a longer text or a smaller batch size or number of steps.</source>
      <translation>{what}只有 {tokens:,} 个词元，不够一个小批量所需（批量大小 {batch_size} × 时间步数 {num_steps} 约需 {needed:,} 个）。请使用更长的文本，或减小批量大小或时间步数。</translation>
    </message>
    <message>
      <source>Could not save {path}: {reason}. Nothing was overwritten.</source>
      <translation>无法保存 {path}：{reason}。没有覆盖任何文件。</translation>
    </message>
    <message>
      <source>{path} does not exist.</source>
      <translation>{path} 不存在。</translation>
    </message>
    <message>
      <source>{path} is a folder, not a checkpoint.</source>
      <translation>{path} 是文件夹，不是检查点。</translation>
    </message>
    <message>
      <source>{path} cannot be read: {reason}.</source>
      <translation>无法读取 {path}：{reason}。</translation>
    </message>
    <message>
      <source>{path} is {kind}, not a checkpoint; only a regular file can be one.</source>
      <translation>{path} 是{kind}，不是检查点；只有普通文件才能是检查点。</translation>
    </message>
    <message>
      <source>{path} was refused: it holds objects other than tensors and plain values, so it is not a GRU Studio checkpoint and may not be safe.</source>
      <translation>已拒绝 {path}：其中含有张量和普通值以外的对象，因此它不是 GRU Studio 检查点，而且可能不安全。</translation>
    </message>
    <message>
      <source>{path} is not a GRU Studio checkpoint, or it is corrupt or truncated.</source>
      <translation>{path} 不是 GRU Studio 检查点，或者已损坏、被截断。</translation>
    </message>
    <message>
      <source>{path} is not a GRU Studio checkpoint.</source>
      <translation>{path} 不是 GRU Studio 检查点。</translation>
    </message>
    <message>
      <source>{path} is a checkpoint of format version {version}; this GRU Studio ({app_version}) reads version {known}.</source>
      <translation>{path} 是格式版本 {version} 的检查点；当前 GRU Studio（{app_version}）读取的是版本 {known}。</translation>
    </message>
    <message>
      <source>{path} is damaged or does not fit this version of GRU Studio: {error}.</source>
      <translation>{path} 已损坏，或与此版本的 GRU Studio 不匹配：{error}。</translation>
    </message>
    <message>
      <source>{path} does not fit this version of GRU Studio: {error}</source>
      <translation>{path} 与此版本的 GRU Studio 不匹配：{error}</translation>
    </message>
    <message>
      <source>'timemachine', 'sample' (bundled) or the path of a UTF-8 text file</source>
      <translation>'timemachine'、'sample'（内置）或 UTF-8 文本文件的路径</translation>
    </message>
    <message>
      <source>letters: the book's (a-z and space); raw: every character kept</source>
      <translation>letters：书中的做法（a-z 和空格）；raw：保留所有字符</translation>
    </message>
    <message>
      <source>tokens used from the start of the text; 0 = all; default 10,000 for the Time Machine, all otherwise</source>
      <translation>从文本开头起使用的词元数；0 = 全部；《时间机器》默认 10,000，其他文本默认全部</translation>
    </message>
    <message>
      <source>text encoding of a local file (utf-8 also accepts a BOM)</source>
      <translation>本地文件的文本编码（utf-8 也接受 BOM）</translation>
    </message>
    <message>
      <source>sequential: state carried across batches; random: fresh state every batch</source>
      <translation>sequential：隐状态在小批量之间延续；random：每个小批量都使用新的隐状态</translation>
    </message>
    <message>
      <source>fraction of tokens held out at the end for validation perplexity</source>
      <translation>留在文本末尾、用于计算验证困惑度的词元比例</translation>
    </message>
    <message>
      <source>hidden units</source>
      <translation>隐藏单元数</translation>
    </message>
    <message>
      <source>which model to train</source>
      <translation>要训练的模型</translation>
    </message>
    <message>
      <source>stacked layers (the PyTorch built-in models only)</source>
      <translation>堆叠的层数（仅限 PyTorch 内置模型）</translation>
    </message>
    <message>
      <source>dropout between stacked layers (the PyTorch built-in models only)</source>
      <translation>堆叠层之间的暂退概率（仅限 PyTorch 内置模型）</translation>
    </message>
    <message>
      <source>the scratch GRU's gates (the scratch GRUs only): full; reset-only fixes Z = 0, so H = H~; update-only fixes R = 1, so H~ reads H unreset (the book's exercise)</source>
      <translation>从零实现的 GRU 的门（仅限从零实现的 GRU）：full；reset-only 固定 Z = 0，因此 H = H~；update-only 固定 R = 1，因此 H~ 读取未经重置的 H（书中的练习）</translation>
    </message>
    <message>
      <source>{gates} applies to the scratch GRU only ({kinds}), not to {kind}</source>
      <translation>{gates} 仅适用于从零实现的 GRU（{kinds}），不适用于 {kind}</translation>
    </message>
    <message>
      <source>passes over the training tokens</source>
      <translation>遍历训练词元的轮数</translation>
    </message>
    <message>
      <source>learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>sgd (the book's) or adam</source>
      <translation>sgd（书中的做法）或 adam</translation>
    </message>
    <message>
      <source>parallel sequences per batch</source>
      <translation>每个小批量中并行的序列数</translation>
    </message>
    <message>
      <source>time steps per sequence</source>
      <translation>每个序列的时间步数</translation>
    </message>
    <message>
      <source>gradient-norm clipping threshold theta; 0 = off</source>
      <translation>梯度裁剪的范数阈值 θ；0 = 关闭</translation>
    </message>
    <message>
      <source>random seed (runs are repeatable on the CPU)</source>
      <translation>随机种子（在 CPU 上的运行可复现）</translation>
    </message>
    <message>
      <source>auto, cpu, cuda, cuda:N or mps</source>
      <translation>auto、cpu、cuda、cuda:N 或 mps</translation>
    </message>
    <message>
      <source>CPU threads for training; 0 = automatic: 1 or one per core, whichever trains faster now, measured while training (on a busy machine, more threads can make training many times slower)</source>
      <translation>训练使用的 CPU 线程数；0 = 自动：在训练中测量，1 个或每个核心一个，取当前训练更快者（机器繁忙时，线程越多，训练可能慢上许多倍）</translation>
    </message>
    <message>
      <source>auto: on CUDA, train the scratch GRU through a CUDA graph, kept only if its first batch equals the eager step's; off: never</source>
      <translation>auto：在 CUDA 上用 CUDA 图训练 scratch GRU，仅当其第一个批次与即时步骤的结果一致时才保留；off：从不使用</translation>
    </message>
    <message>
      <source>epochs between sample predictions; 0 = never</source>
      <translation>每隔多少个迭代周期做一次样例预测；0 = 从不</translation>
    </message>
    <message>
      <source>prefix of the sample predictions</source>
      <translation>样例预测的前缀</translation>
    </message>
    <message>
      <source>characters in each sample prediction</source>
      <translation>每次样例预测的字符数</translation>
    </message>
    <message>
      <source>a value is required</source>
      <translation>必须填写一个值</translation>
    </message>
    <message>
      <source>must not be empty</source>
      <translation>不能为空</translation>
    </message>
    <message>
      <source>must be a number, not {value!r}</source>
      <translation>必须是数字，而不是 {value!r}</translation>
    </message>
    <message>
      <source>must be a finite number</source>
      <translation>必须是有限的数</translation>
    </message>
    <message>
      <source>must be greater than {low:g}, got {value:g}</source>
      <translation>必须大于 {low:g}，实际为 {value:g}</translation>
    </message>
    <message>
      <source>must be at least {low:g}, got {value:g}</source>
      <translation>不能小于 {low:g}，实际为 {value:g}</translation>
    </message>
    <message>
      <source>must be at most {high:g}, got {value:g}</source>
      <translation>不能大于 {high:g}，实际为 {value:g}</translation>
    </message>
    <message>
      <source>must be a whole number, not {value!r}</source>
      <translation>必须是整数，而不是 {value!r}</translation>
    </message>
    <message>
      <source>The Time Machine</source>
      <translation>《时间机器》</translation>
    </message>
    <message>
      <source>Bundled sample</source>
      <translation>内置示例</translation>
    </message>
    <message>
      <source>{name} has no text to train on (it has no letters a-z; try the raw mode).</source>
      <translation>{name} 中没有可用于训练的文本（不含字母 a-z；请尝试 raw 模式）。</translation>
    </message>
    <message>
      <source>{name} has no text to train on.</source>
      <translation>{name} 中没有可用于训练的文本。</translation>
    </message>
    <message>
      <source>{name} uses only {count} distinct character(s); a language model needs at least 2.</source>
      <translation>{name} 只用了 {count} 种不同的字符；语言模型至少需要 2 种。</translation>
    </message>
    <message>
      <source>this build of PyTorch has no CUDA</source>
      <translation>此 PyTorch 构建不含 CUDA</translation>
    </message>
    <message>
      <source>no NVIDIA GPU found</source>
      <translation>未找到 NVIDIA GPU</translation>
    </message>
    <message>
      <source>CUDA GPU</source>
      <translation>CUDA GPU</translation>
    </message>
    <message>
      <source>MPS is not available on this Mac</source>
      <translation>此 Mac 上 MPS 不可用</translation>
    </message>
    <message>
      <source>Apple GPU (MPS)</source>
      <translation>Apple GPU（MPS）</translation>
    </message>
    <message>
      <source>this PyTorch build has no CUDA support</source>
      <translation>此 PyTorch 构建不支持 CUDA</translation>
    </message>
    <message>
      <source>no CUDA GPU is visible</source>
      <translation>没有可见的 CUDA GPU</translation>
    </message>
    <message>
      <source>Device {name!r} is not available: {why}. Use --device cpu.</source>
      <translation>设备 {name!r} 不可用：{why}。请使用 --device cpu。</translation>
    </message>
    <message>
      <source>Device {name!r} is not available: this machine has {count} CUDA device(s).</source>
      <translation>设备 {name!r} 不可用：本机只有 {count} 个 CUDA 设备。</translation>
    </message>
    <message>
      <source>Device 'mps' is not available: it needs an Apple-silicon Mac and a PyTorch built with MPS.</source>
      <translation>设备 'mps' 不可用：它需要搭载 Apple 芯片的 Mac 和支持 MPS 的 PyTorch 构建。</translation>
    </message>
    <message>
      <source>Unknown device {name!r}: use auto, cpu, cuda, cuda:N or mps.</source>
      <translation>未知设备 {name!r}：请使用 auto、cpu、cuda、cuda:N 或 mps。</translation>
    </message>
    <message>
      <source>Distributed training on CUDA needs a GPU; this machine has none. Use --device cpu.</source>
      <translation>在 CUDA 上分布式训练需要 GPU，而本机没有。请使用 --device cpu。</translation>
    </message>
    <message>
      <source>Process {rank} on this machine needs GPU {rank}, but only {count} are visible: start at most that many processes per machine.</source>
      <translation>本机上的进程 {rank} 需要 GPU {rank}，但只有 {count} 个 GPU 可见：每台机器启动的进程数不要超过这个数目。</translation>
    </message>
    <message>
      <source>{batch_size} does not split into {processes} processes' equal shares; use a multiple of {processes}</source>
      <translation>{batch_size} 无法平均分给 {processes} 个进程；请使用 {processes} 的倍数</translation>
    </message>
    <message>
      <source>rank {rank} reads a different text than rank 0</source>
      <translation>进程 {rank} 读取的文本与进程 0 不同</translation>
    </message>
    <message>
      <source>rank {rank}'s {setting} ({value}) differs from rank 0's ({first})</source>
      <translation>进程 {rank} 的 {setting}（{value}）与进程 0 的（{first}）不同</translation>
    </message>
    <message>
      <source>The prefix is empty: type at least one character.</source>
      <translation>前缀为空：请至少输入一个字符。</translation>
    </message>
    <message>
      <source>The prefix has {count} character(s) the model never saw in training: {shown}.</source>
      <translation>前缀中有 {count} 个字符是模型训练时从未见过的：{shown}。</translation>
    </message>
    <message>
      <source>The length must be zero or more.</source>
      <translation>长度必须大于或等于零。</translation>
    </message>
    <message>
      <source>The temperature must be zero (greedy) or more.</source>
      <translation>温度必须大于或等于零（零表示贪心）。</translation>
    </message>
    <message>
      <source>top-k must be zero (off) or more.</source>
      <translation>top-k 必须大于或等于零（零表示关闭）。</translation>
    </message>
    <message>
      <source>There is no signal {name!r}; the signals are {signals}.</source>
      <translation>没有信号 {name!r}；可用的信号有 {signals}。</translation>
    </message>
    <message>
      <source>the plain RNN from scratch has no gates</source>
      <translation>从零实现的普通 RNN 没有门</translation>
    </message>
    <message>
      <source>nn.RNN has no gates</source>
      <translation>nn.RNN 没有门</translation>
    </message>
    <message>
      <source>nn.LSTM has input, forget and output gates and a memory cell, not a GRU's Z and R</source>
      <translation>nn.LSTM 有的是输入门、遗忘门、输出门和记忆元，而不是 GRU 的 Z 和 R</translation>
    </message>
    <message>
      <source>{kind} is not a GRU</source>
      <translation>{kind} 不是 GRU</translation>
    </message>
    <message>
      <source>Inside the GRU reads a GRU's update gate Z, reset gate R and candidate H~, and {lacks}: train or open a GRU ({kinds}) to look inside.</source>
      <translation>“GRU 内部”读取的是 GRU 的更新门 Z、重置门 R 和候选隐状态 H~，而{lacks}：请训练或打开一个 GRU（{kinds}）来查看其内部。</translation>
    </message>
    <message>
      <source>{kind} cannot be traced</source>
      <translation>无法追踪 {kind}</translation>
    </message>
    <message>
      <source>The text has {count:,} characters; at most {most:,} can be traced.</source>
      <translation>该文本有 {count:,} 个字符；最多只能追踪 {most:,} 个。</translation>
    </message>
    <message>
      <source>layer 0</source>
      <translation>第 0 层</translation>
    </message>
    <message>
      <source>layers 0 to {last}</source>
      <translation>第 0 到 {last} 层</translation>
    </message>
    <message>
      <source>There is no layer {layer}: this model has {have}.</source>
      <translation>没有第 {layer} 层：此模型只有{have}。</translation>
    </message>
    <message>
      <source>The pattern is empty: type a regular expression, such as 'the' or '[aeiou]'.</source>
      <translation>模式为空：请输入一个正则表达式，例如 'the' 或 '[aeiou]'。</translation>
    </message>
    <message>
      <source>a repeat count is too large</source>
      <translation>重复次数太大</translation>
    </message>
    <message>
      <source>it is nested too deeply</source>
      <translation>嵌套太深</translation>
    </message>
    <message>
      <source>The pattern {pattern!r} is not a valid regular expression: {reason}.</source>
      <translation>模式 {pattern!r} 不是有效的正则表达式：{reason}。</translation>
    </message>
    <message>
      <source>this model and batch need about {needed} of memory to train, and {available} is available: lower the batch size, the number of steps or the hidden units</source>
      <translation>训练这个模型和批量大约需要 {needed} 内存，而可用的只有 {available}：请减小批量大小、时间步数或隐藏单元数</translation>
    </message>
    <message>
      <source>{size:.1f} GiB</source>
      <translation>{size:.1f} GiB</translation>
    </message>
    <message>
      <source>, {gates} ({note})</source>
      <translation>，{gates}（{note}）</translation>
    </message>
    <message>
      <source>{layers} layer(s) of {hidden}</source>
      <translation>{layers} 层，每层 {hidden} 个隐藏单元</translation>
    </message>
    <message>
      <source>nn.GRU, {stacked} (reset gate after the product)</source>
      <translation>nn.GRU，{stacked}（重置门在乘积之后）</translation>
    </message>
    <message>
      <source>plain RNN from scratch (the book, fast)</source>
      <translation>从零实现的普通 RNN（书中的，快速）</translation>
    </message>
    <message>
      <source>scratch RNN</source>
      <translation>从零实现的 RNN</translation>
    </message>
    <message>
      <source>The book's plain RNN, H = tanh(X W_xh + H W_hh + b_h): no gates, so it forgets sooner than a GRU. Inside the GRU does not apply.</source>
      <translation>书中的普通 RNN，H = tanh(X W_xh + H W_hh + b_h)：没有门，因此比 GRU 忘得更快。“GRU 内部”不适用。</translation>
    </message>
    <message>
      <source>nn.RNN (PyTorch built-in)</source>
      <translation>nn.RNN（PyTorch 内置）</translation>
    </message>
    <message>
      <source>nn.RNN with tanh: the same plain RNN as PyTorch's layer, for the chapter's RNN-versus-GRU exercise. Inside the GRU does not apply.</source>
      <translation>使用 tanh 的 nn.RNN：以 PyTorch 的层实现的同一个普通 RNN，用于本章 RNN 与 GRU 对比的练习。“GRU 内部”不适用。</translation>
    </message>
    <message>
      <source>nn.RNN (tanh), {stacked}</source>
      <translation>nn.RNN（tanh），{stacked}</translation>
    </message>
    <message>
      <source>nn.LSTM (PyTorch built-in)</source>
      <translation>nn.LSTM（PyTorch 内置）</translation>
    </message>
    <message>
      <source>nn.LSTM, the next chapter's model: input, forget and output gates and a memory cell. Inside the GRU does not apply.</source>
      <translation>nn.LSTM，下一章的模型：输入门、遗忘门、输出门和记忆元。“GRU 内部”不适用。</translation>
    </message>
    <message>
      <source>nn.LSTM, {stacked}</source>
      <translation>nn.LSTM，{stacked}</translation>
    </message>
    <message>
      <source>RNN from scratch, {hidden} hidden (the book's plain RNN, fast path)</source>
      <translation>从零实现的 RNN，{hidden} 个隐藏单元（书中的普通 RNN，快速路径）</translation>
    </message>
    <message>
      <source>GRU from scratch (the book, fast)</source>
      <translation>从零实现的 GRU（书中的，快速）</translation>
    </message>
    <message>
      <source>scratch GRU</source>
      <translation>从零实现的 GRU</translation>
    </message>
    <message>
      <source>The book's equations and parameters, computed with fused products and a hand-written backward pass: same results, faster.</source>
      <translation>书中的公式和参数，用融合的矩阵乘法和手写的反向传播计算：结果相同，速度更快。</translation>
    </message>
    <message>
      <source>GRU from scratch (the book's step-by-step code)</source>
      <translation>从零实现的 GRU（书中的逐步代码）</translation>
    </message>
    <message>
      <source>scratch GRU, book code</source>
      <translation>从零实现的 GRU，书中代码</translation>
    </message>
    <message>
      <source>The book's code as written, one small operation per line and step: the teaching reference, slower. The reset gate scales H before the product with W_hh.</source>
      <translation>照搬书中的代码，每行、每个时间步一个小运算：作为教学参考，较慢。重置门在与 W_hh 相乘之前缩放 H。</translation>
    </message>
    <message>
      <source>GRU from scratch, {hidden} hidden, the book's step-by-step code{gates}</source>
      <translation>从零实现的 GRU，{hidden} 个隐藏单元，书中的逐步代码{gates}</translation>
    </message>
    <message>
      <source>nn.GRU (PyTorch built-in)</source>
      <translation>nn.GRU（PyTorch 内置）</translation>
    </message>
    <message>
      <source>nn.GRU applies the reset gate after the product, r * (W_hn h + b_hn): a different model from the book's.</source>
      <translation>nn.GRU 在乘积之后才应用重置门，即 r * (W_hn h + b_hn)：与书中的模型不同。</translation>
    </message>
    <message>
      <source>GRU from scratch, {hidden} hidden (the book's equations, fast path){gates}</source>
      <translation>从零实现的 GRU，{hidden} 个隐藏单元（书中的公式，快速路径）{gates}</translation>
    </message>
    <message>
      <source>update gate fixed at Z = 0</source>
      <translation>更新门固定为 Z = 0</translation>
    </message>
    <message>
      <source>reset gate fixed at R = 1</source>
      <translation>重置门固定为 R = 1</translation>
    </message>
    <message>
      <source>predicting letter frequencies only: try a larger learning rate or more epochs</source>
      <translation>模型只是在按字母频率预测：请尝试更大的学习率或更多的迭代周期</translation>
    </message>
    <message>
      <source>the run store cannot be opened</source>
      <translation>无法打开运行记录库</translation>
    </message>
    <message>
      <source>{reason}; the saved model is not recorded</source>
      <translation>{reason}；保存的模型未被记录</translation>
    </message>
    <message>
      <source>the run store {path} could not be written ({reason}); the saved model is not recorded</source>
      <translation>无法写入运行记录库 {path}（{reason}）；已保存的模型未被记录</translation>
    </message>
    <message>
      <source>{reason}; this run is not recorded</source>
      <translation>{reason}；本次运行未被记录</translation>
    </message>
    <message>
      <source>the run store {path} could not be written ({reason}); this run is not recorded</source>
      <translation>无法写入运行记录库 {path}（{reason}）；本次运行未被记录</translation>
    </message>
    <message>
      <source>its process ended mid-run</source>
      <translation>其进程在运行中途结束</translation>
    </message>
    <message>
      <source>{reason}; runs are not recorded</source>
      <translation>{reason}；运行不会被记录</translation>
    </message>
    <message>
      <source>the run store {path} is locked by another GRU Studio process; waiting up to {seconds} s for it</source>
      <translation>运行记录库 {path} 正被另一个 GRU Studio 进程锁定；最多等待 {seconds} 秒</translation>
    </message>
    <message>
      <source>the run store {path} was damaged and has been replaced by a new one</source>
      <translation>运行记录库 {path} 已损坏，已被一个新的记录库取代</translation>
    </message>
    <message>
      <source>run {run} is still training (process {pid}); stop it first, then delete it</source>
      <translation>运行 {run} 仍在训练中（进程 {pid}）；请先停止它，再删除</translation>
    </message>
    <message>
      <source>the run store {path} is locked by another GRU Studio process; try again when it finishes</source>
      <translation>运行记录库 {path} 正被另一个 GRU Studio 进程锁定；请等它完成后再试</translation>
    </message>
    <message>
      <source>the run store {path} is read-only; nothing in it can be changed</source>
      <translation>运行记录库 {path} 是只读的；其中的内容无法更改</translation>
    </message>
    <message>
      <source>the run store {path} is damaged and could not be replaced ({reason}); runs are not recorded</source>
      <translation>运行记录库 {path} 已损坏且无法替换（{reason}）；运行不会被记录</translation>
    </message>
    <message>
      <source>the run store {path} was damaged; it was moved to {moved} and a new one started</source>
      <translation>运行记录库 {path} 已损坏；已将其移到 {moved}，并新建了一个</translation>
    </message>
    <message>
      <source>the run store {path} cannot be written ({reason})</source>
      <translation>无法写入运行记录库 {path}（{reason}）</translation>
    </message>
    <message>
      <source>the run store {path} was written by a newer GRU Studio (schema {version}, this one knows {known}); it is left as it is</source>
      <translation>运行记录库 {path} 由更新版本的 GRU Studio 写入（结构版本 {version}，本版本只支持 {known}）；已保持原样</translation>
    </message>
    <message>
      <source>cannot open the run store {path}: {reason}</source>
      <translation>无法打开运行记录库 {path}：{reason}</translation>
    </message>
    <message>
      <source>{name} (missing)</source>
      <translation>{name}（缺失）</translation>
    </message>
    <message>
      <source>{error} It is the text {model} was trained on: put it back, or next to the model.</source>
      <translation>{error}这是 {model} 训练时所用的文本：请把它放回原处，或放到模型旁边。</translation>
    </message>
    <message>
      <source>Its text is not available ({error}), so it can generate but not train on.</source>
      <translation>它的文本不可用（{error}），因此可以用它生成，但不能继续训练。</translation>
    </message>
    <message>
      <source>Its text {name} now has other characters, so it can generate but not train on.</source>
      <translation>它的文本 {name} 现在的字符已不同，因此可以用它生成，但不能继续训练。</translation>
    </message>
    <message>
      <source>The text {name} has changed since this model was saved (its SHA-1 differs); training continues on the text as it is now.</source>
      <translation>自此模型保存以来，文本 {name} 已被修改（SHA-1 不同）；将在文本的当前内容上继续训练。</translation>
    </message>
    <message>
      <source>There is no model: the run ended before it was built.</source>
      <translation>没有模型：运行在模型构建之前就结束了。</translation>
    </message>
    <message>
      <source>There is no model to save yet: train or open one first.</source>
      <translation>还没有可保存的模型：请先训练或打开一个模型。</translation>
    </message>
    <message>
      <source>There is no model to generate from yet: train or open one first.</source>
      <translation>还没有可用于生成的模型：请先训练或打开一个模型。</translation>
    </message>
    <message>
      <source>cannot be swept; these can: {names}</source>
      <translation>不能扫描；可以扫描的设置有：{names}</translation>
    </message>
    <message>
      <source>has an empty value in {text!r}; separate values with commas, e.g. 0.5,1,2</source>
      <translation>{text!r} 中有空值；请用逗号分隔各个值，例如 0.5,1,2</translation>
    </message>
    <message>
      <source>{item}: {problem}</source>
      <translation>{item}：{problem}</translation>
    </message>
    <message>
      <source>gives {item} twice</source>
      <translation>{item} 出现了两次</translation>
    </message>
    <message>
      <source>{item!r} is not one of {choices}</source>
      <translation>{item!r} 不是 {choices} 之一</translation>
    </message>
    <message>
      <source>{item!r} is not a number</source>
      <translation>{item!r} 不是数字</translation>
    </message>
    <message>
      <source>{item!r} is not a whole number</source>
      <translation>{item!r} 不是整数</translation>
    </message>
    <message>
      <source>nothing to sweep: give one or two settings several values, e.g. --lr 0.5,1,2 --hidden 128,256</source>
      <translation>没有要扫描的设置：请为一个或两个设置给出多个值，例如 --lr 0.5,1,2 --hidden 128,256</translation>
    </message>
    <message>
      <source>sweeps one or two settings at a time, not {count} ({names})</source>
      <translation>一次只能扫描一个或两个设置，不能扫描 {count} 个（{names}）</translation>
    </message>
    <message>
      <source>would train {count} runs; at most {most} (fewer values, or two sweeps)</source>
      <translation>将训练 {count} 次；最多 {most} 次（请减少取值，或拆成两次扫描）</translation>
    </message>
    <message>
      <source>the run with {label} cannot train: {error}</source>
      <translation>{label} 的那次运行无法训练：{error}</translation>
    </message>
    <message>
      <source>{path} is a folder, not a text file.</source>
      <translation>{path} 是文件夹，不是文本文件。</translation>
    </message>
    <message>
      <source>{path} cannot be read: permission denied.</source>
      <translation>无法读取 {path}：权限不足。</translation>
    </message>
    <message>
      <source>the training text</source>
      <translation>训练文本</translation>
    </message>
    <message>
      <source>the run store</source>
      <translation>运行记录库</translation>
    </message>
    <message>
      <source>No file name was given.</source>
      <translation>没有给出文件名。</translation>
    </message>
    <message>
      <source>Cannot write {path}: its name is {length} bytes long; this folder allows {limit}.</source>
      <translation>无法写入 {path}：文件名长 {length} 字节，此文件夹最多允许 {limit} 字节。</translation>
    </message>
    <message>
      <source>Cannot write {path}: it is a folder; name a file in it.</source>
      <translation>无法写入 {path}：它是一个文件夹；请指定其中的一个文件名。</translation>
    </message>
    <message>
      <source>Cannot write {path}: it is {kind}, not a regular file.</source>
      <translation>无法写入 {path}：它是{kind}，不是普通文件。</translation>
    </message>
    <message>
      <source>Cannot write {path}: it is {what}, which is never written over. Choose another name.</source>
      <translation>无法写入 {path}：它是{what}，绝不会被覆盖。请换一个名字。</translation>
    </message>
    <message>
      <source>Cannot write {path}: it exists and is not a GRU Studio checkpoint. Choose another name, or add --force to replace it.</source>
      <translation>无法写入 {path}：该文件已存在，且不是 GRU Studio 检查点。请换一个名字，或加上 --force 以替换它。</translation>
    </message>
    <message>
      <source>Cannot write {path}: it is a GRU Studio checkpoint, and the model in it would be lost. Choose another name, or add --force to replace it.</source>
      <translation>无法写入 {path}：它是 GRU Studio 检查点，其中的模型将会丢失。请换一个名字，或加上 --force 以替换它。</translation>
    </message>
    <message>
      <source>Cannot write {path}: the folder {folder} does not exist.</source>
      <translation>无法写入 {path}：文件夹 {folder} 不存在。</translation>
    </message>
    <message>
      <source>Cannot write {path}: the folder {folder} is not writable.</source>
      <translation>无法写入 {path}：文件夹 {folder} 不可写。</translation>
    </message>
    <message>
      <source>Cannot write {path}: the path is longer than this system allows.</source>
      <translation>无法写入 {path}：路径超过了本系统允许的长度。</translation>
    </message>
    <message>
      <source>Cannot write {path}: {reason}.</source>
      <translation>无法写入 {path}：{reason}。</translation>
    </message>
    <message>
      <source>a named pipe (FIFO)</source>
      <translation>命名管道（FIFO）</translation>
    </message>
    <message>
      <source>a device</source>
      <translation>设备文件</translation>
    </message>
    <message>
      <source>a socket</source>
      <translation>套接字</translation>
    </message>
    <message>
      <source>a special file</source>
      <translation>特殊文件</translation>
    </message>
    <message>
      <source>{path} is {kind}, not a text file; only a regular file can be a corpus.</source>
      <translation>{path} 是{kind}，不是文本文件；只有普通文件才能用作语料库。</translation>
    </message>
    <message>
      <source>{path} is too large for a corpus ({size} or more; the most GRU Studio reads is {limit}).</source>
      <translation>{path} 太大，不能用作语料库（{size} 或更大；GRU Studio 最多读取 {limit}）。</translation>
    </message>
    <message>
      <source>{size:.3g} GiB</source>
      <translation>{size:.3g} GiB</translation>
    </message>
    <message>
      <source>{size:.3g} MiB</source>
      <translation>{size:.3g} MiB</translation>
    </message>
    <message>
      <source>{size:,} bytes</source>
      <translation>{size:,} 字节</translation>
    </message>
    <message>
      <source>unknown text encoding {encoding!r}</source>
      <translation>未知的文本编码 {encoding!r}</translation>
    </message>
    <message>
      <source>{encoding!r} is not a text encoding; choose one such as utf-8, utf-16 or cp1252</source>
      <translation>{encoding!r} 不是文本编码；请选择 utf-8、utf-16 或 cp1252 等编码</translation>
    </message>
    <message>
      <source>{name} is empty.</source>
      <translation>{name} 是空的。</translation>
    </message>
    <message>
      <source>{name} contains NUL bytes, so it is not {label} text; it is probably {likely} (without a byte-order mark): choose that encoding.</source>
      <translation>{name} 含有 NUL 字节，因此不是 {label} 文本；它很可能是 {likely}（没有字节顺序标记）：请选择该编码。</translation>
    </message>
    <message>
      <source>{name} looks like a binary file (it contains NUL bytes), not text.</source>
      <translation>{name} 看起来是二进制文件（含有 NUL 字节），而不是文本。</translation>
    </message>
    <message>
      <source>{name} is not valid {label} (byte {at}). It is probably {likely}: choose that encoding.</source>
      <translation>{name} 不是有效的 {label}（在字节 {at} 处）。它很可能是 {likely}：请选择该编码。</translation>
    </message>
    <message>
      <source>use a smaller model</source>
      <translation>使用更小的模型</translation>
    </message>
    <message>
      <source>train on the CPU</source>
      <translation>改在 CPU 上训练</translation>
    </message>
    <message>
      <source>Out of memory on {device}: this model and batch do not fit. Lower the batch size, the number of steps or the hidden units, or {elsewhere}. The model is kept.</source>
      <translation>{device} 内存不足：放不下这个模型和批量。请减小批量大小、时间步数或隐藏单元数，或{elsewhere}。模型已保留。</translation>
    </message>
    <message>
      <source>This model was opened without its text, so it can generate but not train on.</source>
      <translation>打开此模型时没有找到它的文本，因此可以用它生成，但不能继续训练。</translation>
    </message>
    <message>
      <source>exploded</source>
      <translation>爆炸式增大</translation>
    </message>
    <message>
      <source>became not a number</source>
      <translation>变成了 NaN（非数字）</translation>
    </message>
    <message>
      <source>Adam moves every weight by about the learning rate at each step: try about 0.01</source>
      <translation>Adam 每一步把每个权重移动大约一个学习率：试试 0.01 左右</translation>
    </message>
    <message>
      <source>lower it, or turn gradient clipping on (the book's theta is 1)</source>
      <translation>请调低它，或开启梯度裁剪（书中的 θ 为 1）</translation>
    </message>
    <message>
      <source>lower it</source>
      <translation>请调低它</translation>
    </message>
    <message>
      <source>Training diverged: the loss {how}. The learning rate ({lr:g}) is probably too high; {advice}, and train again. The model keeps its weights from before the epoch that diverged.</source>
      <translation>训练发散：损失{how}。学习率（{lr:g}）可能过高；{advice}，然后重新训练。模型保留发散的那个迭代周期之前的权重。</translation>
    </message>
    <message>
      <source>training text</source>
      <translation>训练文本</translation>
    </message>
    <message>
      <source>The validation tail has {tokens} tokens, fewer than one sequence of {needed}; raise the validation fraction or use a longer text.</source>
      <translation>末尾的验证部分只有 {tokens} 个词元，不足一个长为 {needed} 的序列；请提高验证比例或使用更长的文本。</translation>
    </message>
    <message>
      <source>The text is not the one this model was trained on (its characters differ), so training cannot continue on it.</source>
      <translation>该文本不是此模型训练时所用的文本（字符不同），因此无法在其上继续训练。</translation>
    </message>
    <message>
      <source>Unexpected error: {error}</source>
      <translation>意外错误：{error}</translation>
    </message>
    <message>
      <source>The Time Machine that comes with GRU Studio is missing or damaged ({path}: {problem}). Reinstall GRU Studio, or train on the bundled sample with --corpus {sample}.</source>
      <translation>GRU Studio 自带的《时间机器》缺失或已损坏（{path}：{problem}）。请重新安装 GRU Studio，或用 --corpus {sample} 在内置示例上训练。</translation>
    </message>
    <message>
      <source>The text has {count:,} characters; influence needs 2 to {most:,} (each predicts the next).</source>
      <translation>文本有 {count:,} 个字符；影响分析需要 2 到 {most:,} 个字符（每个字符预测下一个）。</translation>
    </message>
    <message>
      <source>A clamp fixes z or r, not {gate!r}.</source>
      <translation>固定的只能是 z 或 r，不能是 {gate!r}。</translation>
    </message>
    <message>
      <source>A gate is between 0 and 1: {value} cannot be clamped.</source>
      <translation>门的值在 0 和 1 之间：不能固定为 {value}。</translation>
    </message>
    <message>
      <source>The clamp's span {start} to {stop} holds no character.</source>
      <translation>固定的范围 {start} 到 {stop} 不包含任何字符。</translation>
    </message>
    <message>
      <source>This model's units are 0 to {last}; there is no unit {unit}.</source>
      <translation>这个模型的单元编号是 0 到 {last}；没有单元 {unit}。</translation>
    </message>
    <message>
      <source>--clamp-units takes unit numbers such as 0,3,5, not {text!r}.</source>
      <translation>--clamp-units 需要 0,3,5 这样的单元编号，而不是 {text!r}。</translation>
    </message>
    <message>
      <source>--clamp takes z=V or r=V with V between 0 and 1, not {text!r}.</source>
      <translation>--clamp 需要 z=V 或 r=V，V 在 0 和 1 之间，而不是 {text!r}。</translation>
    </message>
    <message>
      <source>This text is too short to compare models: {batches} batch(es) an epoch, fewer than {least}. On so few every model learns it by heart, and the one that does so first wins, not the better one. Compare them on a longer text.</source>
      <translation>这段文本太短，不适合比较模型：每个迭代周期只有 {batches} 个批次，少于 {least} 个。批次这么少，每个模型都会把它背下来，先背下来的胜出，而不是更好的那个。请在更长的文本上比较它们。</translation>
    </message>
  </context>
</TS>