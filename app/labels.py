"""Every Chinese word the site's Python code and script show (templates hold the rest of the page text).

static/app.js holds no text of its own: the page renders the words it shows into data- attributes."""

SITE_NAME = "公文检索"
SITE_DESCRIPTION = "按条款检索公文：文种、发文机关、责任单位、成文日期一目了然，每个条款都有永久链接。"

SORT_LABELS = {"relevance": "相关度", "date": "日期"}
ROLE_LABELS = {"lead": "牵头", "main": "主要责任", "cooperating": "配合", "responsible": "责任"}

CSV_COLUMNS = ("文号", "文件标题", "文种", "发文机关", "成文日期", "条款", "条款标题",
               "责任单位", "本单位角色", "时限", "截止日期", "条款内容", "链接")

NOT_FOUND = "找不到这个页面"
NOT_FOUND_DOCUMENT = "没有找到这份公文或条款，请核对链接，或用下面的搜索框查找。"
NOT_FOUND_UNIT = "没有找到责任单位「{name}」承担的条款。"
BAD_HOST = "请求的 Host 头不是有效的主机名。"
UNTRUSTED_HOST = "请求的主机名不在本站允许的范围内。"
BAD_REQUEST = "请求参数有误"
SERVER_ERROR = "服务器出错了，请稍后再试。"
BAD_PUBLIC_URL = "PUBLIC_URL（环境变量 GONGWEN_PUBLIC_URL）须以 http:// 或 https:// 开头，收到：{value}"
INDEX_MISSING = "索引尚未建立：请先运行 python -m index build，或用 python -m app serve 启动（首次启动会自动建立索引）。"
SEARCH_TITLE = "“{q}”的检索结果"
BROWSE_TITLE = "浏览公文条款"
UNIT_TITLE = "{name}的任务台账"
UNITS_TITLE = "全部责任单位"
UNITS_NAMED_TITLE = "各地的{name}"
UNITS_OF_SEARCH_TITLE = "检索结果中的责任单位"
DATE_RANGE_TITLE = "成文日期"
DATE_RANGE = "{start} 至 {end}"
CSV_NAME = "检索结果"
CSV_TRUNCATED = "（仅导出前 {shown} 条，共 {total} 条：请加筛选条件缩小范围后分批导出）"
FEED_TITLE = "{title} - {site}"

# Shown by static/app.js after a copy button is pressed (followed by the copied text).
COPIED = "已复制："
COPY_FAILED = "复制失败，请手动复制："
