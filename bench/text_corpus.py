"""Labeled free-text lines for the text evaluation, and unlabeled notes for the benchmark.

Three kinds of lines, all invented (names from `demo.people`'s pools, identifiers with valid check
characters from `demo.identifiers`; no real person):

- `admin`: administrative phrasing (申请人…，身份证号…，现住…) from templates;
- `prose`: names, addresses and numbers in running text, hand-written (`PROSE_DEV` and `PROSE_DEV_2`,
  seen while tuning the recognizers; `PROSE_HOLDOUT`, written after tuning and not tuned on) and
  templated;
- `negative`: no personal data, but what looks like it: 18-digit order numbers, amounts, timestamps,
  township names, items, document numbers, nicknames.

Hand-written lines mark spans as `[[text|TYPE]]`; `{mobile}`-style fields are filled with valid values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from random import Random

from demo import identifiers, people
from reference.divisions import deqing_townships

SEED = 20261126
TYPES = {
    "P": "PERSON", "A": "CN_ADDRESS", "M": "CN_MOBILE_PHONE", "L": "CN_LANDLINE_PHONE", "ID": "CN_RESIDENT_ID",
    "BANK": "CN_BANK_CARD", "USCC": "CN_USCC", "PLATE": "CN_LICENSE_PLATE", "PASS": "CN_PASSPORT",
    "EMAIL": "EMAIL_ADDRESS", "IP": "IP_ADDRESS",
}  # fmt: skip

PROSE_DEV = """
昨天下午，[[李秀英|P]]带着孙子去镇卫生院看病，回来时已经快六点了。
[[王建华|P]]今年六十八岁，一个人住在[[莫干山镇仙潭村12组35号|A]]，儿子在杭州打工。
听说[[沈国强|P]]把自家的茶园承包给了外地老板，一年能多收入两万多元。
下渚湖街道的志愿者[[陆佳怡|P]]每周三都会去敬老院陪老人聊天。
“你们找[[钱大伟|P]]就行，他管这个事。”村口小卖部的老板娘说。
据[[吴晓燕|P]]回忆，那天雨下得很大，河水一下子漫到了路面上。
小区物业经理[[徐浩然|P]]表示，电梯维修费用将由全体业主分摊。
[[朱丽娟|P]]和丈夫[[孙立新|P]]在新市古镇经营一家民宿，生意一直不错。
去年冬天，[[姚文斌|P]]骑电动车摔伤了腿，至今还在康复。
在[[俞红梅|P]]的带动下，村里十几户人家都种上了白茶。
请[[蒋志刚|P]]同志于本周五前将材料报送至县民政局。
[[欧阳晨曦|P]]是今年全县高考文科第一名，被北京大学录取。
退休教师[[潘桂英|P]]把自己的积蓄捐给了村小学，用于购买图书。
镇上的老中医[[何德明|P]]说，这种草药在莫干山上很常见。
她给我留了电话[[{mobile}|M]]，说有事可以随时联系。
我叫[[施雨萱|P]]，家住[[阜溪街道科源路66号5幢302室|A]]，想咨询一下公积金提取的问题。
会议决定由[[马俊杰|P]]牵头负责防汛物资的调配工作。
[[董雪梅|P]]的女儿在舞阳街道读小学三年级，成绩一直名列前茅。
邻居们都说[[曹永福|P]]是个热心肠，谁家有事他都去帮忙。
[[范丽|P]]说她已经把租房合同交给了社区网格员。
那辆车牌号为[[{plate}|PLATE]]的白色面包车已经在路边停了三天。
他的邮箱是[[shenlei1988@163.com|EMAIL]]，你直接发过去吧。
我们村的[[金阿毛|P]]老人今年九十五岁了，身体还很硬朗。
据了解，[[韩梓轩|P]]在比赛中获得了少年组一等奖。
老屋在[[钟管镇沈家墩村3组18号|A]]，现在没人住了。
为了照顾生病的母亲，[[郑海燕|P]]辞去了城里的工作回到村里。
办事大厅里，工作人员[[沈佳琪|P]]耐心地解答群众提出的问题。
这次走访中，[[谢春花|P]]反映家里的自来水管道老化严重。
[[唐志远|P]]的父亲是一名退伍军人，曾参加过抗洪抢险。
记得把发票寄到[[武康街道千秋街128号|A]]，收件人写[[褚明|P]]。
[[高峰|P]]告诉我们，他小时候最喜欢在河边摸螺蛳。
接到举报后，执法人员赶到现场，发现[[杨伟|P]]正在非法捕捞。
[[许文静|P]]把孩子送到学校后，就急匆匆赶去上班了。
[[林晓|P]]和[[方明|P]]是同一年进厂的，两人关系一直很好。
她的银行卡号是[[{bank}|BANK]]，开户行是农业银行德清支行。
上个月[[费思远|P]]参加了县里组织的技能培训。
[[戴玉兰|P]]一家三口住在[[康乾街道城东村5组|A]]。
大家都叫他“老好人”，其实他的本名叫[[闵国庆|P]]。
听[[宋梅|P]]说，下周镇里要组织体检。
孩子的姥姥[[江秀珍|P]]一直帮着带孩子。
我跟[[叶子豪|P]]约好了明天早上八点在车站见面。
[[严佳|P]]把情况如实地告诉了社区书记。
客户[[袁成|P]]要求在三个工作日内给予答复。
我爸[[温建明|P]]在镇上开了二十多年的五金店。
服务热线[[0572-8821234|L]]工作日全天有人接听。
[[倪慧|P]]、[[褚文博|P]]和[[陶静怡|P]]三人被评为年度优秀志愿者。
新来的社工[[关晓雯|P]]很快就和居民们打成了一片。
他在苏州工作期间，认识了现在的妻子[[田甜|P]]。
[[牛志强|P]]一边擦汗一边说：“今年的收成还行。”
他把钱包落在了出租车上，司机[[万家乐|P]]主动联系了他。
身份证号码[[{id}|ID]]的持有人请到三号窗口领取证件。
[[邱美玲|P]]早年在上海做服装生意，前几年回乡办起了农家乐。
那天晚上，[[魏长林|P]]一直等到十一点才等到救援人员。
村支书[[孔祥瑞|P]]带着大家一起清理河道里的垃圾。
[[卢婉清|P]]在朋友圈里晒出了孩子的奖状。
正在值班的民警[[崔浩|P]]立即赶往现场处置。
如果联系不上，可以打她家里的座机[[0572-8456721|L]]。
[[葛云飞|P]]在县城买了房，每个周末都回村里看望父母。
[[蔡晓梅|P]]告诉记者，她最大的心愿是让孩子考上好大学。
据[[孟庆华|P]]介绍，今年合作社的茭白销售额突破了三百万元。
登录日志显示，该账号曾从[[{ip}|IP]]多次尝试登录。
他给我发了一封邮件，地址是[[wu.jh@zjdq.gov.cn|EMAIL]]。
[[薛冰|P]]的护照号码是[[{passport}|PASS]]，下个月要出国探亲。
[[汤少华|P]]和妻子一起在菜场摆摊卖豆腐。
"""

PROSE_DEV_2 = """
[[黎秋菊|P]]每天早上五点就起床，去菜地里摘菜拿到集市上卖。
前几天[[傅振宇|P]]在朋友圈发了一张照片，配文是“终于回家了”。
这个孩子叫[[顾嘉欣|P]]，今年刚满七岁，父母都在外地打工。
[[尹志华|P]]说，合作社今年新添了两台插秧机。
快递员把包裹放在了[[新安镇勇建村7组22号|A]]的门口。
没想到[[龚丽华|P]]竟然一口气跑完了全程马拉松。
那位老人自称[[章德贵|P]]，说是从安徽来投靠亲戚的。
我和[[邹明轩|P]]是大学同学，毕业后一起回到了德清。
她留下的号码是[[{mobile}|M]]，但是一直打不通。
[[熊海涛|P]]当了二十年的乡村医生，村里人都很信任他。
周六上午，[[秦雅婷|P]]带着女儿去图书馆借书。
[[尤国平|P]]的小卖部就开在[[乾元镇直街45号|A]]，已经开了十几年。
会后，[[石磊|P]]留下来和大家讨论了具体的实施方案。
那天在医院门口，我碰到了多年不见的老同学[[邵丹|P]]。
[[詹永康|P]]家的猪圈在暴雨中倒塌了，好在没有伤到人。
大家推选[[殷春燕|P]]担任新一届的妇女主任。
[[罗子涵|P]]的作文在全市比赛中获得了二等奖。
这份合同是[[白建军|P]]亲手签的字，不会有错。
[[苗凤英|P]]老人的老伴去年过世了，现在一个人生活。
邮件请发到[[liping_dq@126.com|EMAIL]]，我下午统一回复。
[[贺文涛|P]]跑遍了全镇十三个村，终于找到了合适的厂房。
听说[[鲍红霞|P]]的儿子考上了公务员，分到了县里工作。
在[[洛舍镇东衡村15组8号|A]]住了一辈子的[[沈阿四|P]]，今年第一次坐上了高铁。
我们联系了[[毛建新|P]]，他答应明天过来看看。
夏天的傍晚，[[赖小红|P]]常常坐在门口的石凳上乘凉。
[[岳宏|P]]从部队退伍后，在镇上开了一家汽修店。
她把卡号[[{bank}|BANK]]写在了纸条上，让我帮忙转账。
[[甘露|P]]和[[柳青|P]]是这次比赛的主持人。
车牌[[{plate}|PLATE]]的车主请尽快到停车场挪车。
[[包志明|P]]今年承包了五十亩鱼塘，主要养殖青虾和鲈鱼。
"""

PROSE_HOLDOUT = """
清明节前后，[[沈月娥|P]]都要去山上给公婆扫墓。
退休后的[[陆国良|P]]迷上了书法，每天要写两个小时。
“这钱我不能收。”[[许桂芳|P]]把红包推了回去。
社区医生[[吴佩琳|P]]每个月都会上门给独居老人量血压。
那年夏天，[[孙建平|P]]和几个同学骑车去了莫干山。
我把钥匙交给了隔壁的[[张阿姨|P]]，她会帮忙喂猫。
[[冯立群|P]]的养猪场今年扩建了一倍。
大雪封路那几天，是[[钱卫东|P]]开着拖拉机把药送进了山里。
她的新号码是[[{mobile}|M]]，旧号已经停用了。
[[徐婉婷|P]]在县城开了一家花店，生意做得红红火火。
每次路过桥头，都能看到[[宋老伯|P]]坐在那里下棋。
新上任的网格员[[姜一鸣|P]]第一天就走访了二十多户人家。
[[俞晓峰|P]]家的老房子就在[[新市镇西河口17号|A]]，是清朝时候建的。
有事可以打办公室电话[[0572-8065123|L]]找[[丁主任|P]]。
[[程思雨|P]]把攒了一年的零花钱全部捐给了灾区。
听说[[韦德华|P]]的女儿嫁到了嘉兴。
[[郁金凤|P]]每天清晨都在运河边打太极拳。
[[胡振国|P]]指着地图说，新修的路会从他家门前经过。
傍晚时分，[[陈小燕|P]]牵着孙女在广场上散步。
我们在车站接到了从贵州来的[[杨光明|P]]一家。
[[夏天宇|P]]在省里的数学竞赛中拿了第一。
那封信是寄给[[钟秀兰|P]]的，可她已经搬走好几年了。
[[唐晓东|P]]的车牌号是[[{plate}|PLATE]]，停在超市门口。
[[柏宇航|P]]和[[滕丽萍|P]]是一对从城里回乡创业的夫妻。
没人知道[[邬大海|P]]年轻时当过兵。
[[房志远|P]]一口气把三年的账都算清楚了。
天刚亮，[[聂春生|P]]就扛着锄头下地了。
下渚湖的渔民[[顾水根|P]]说，今年的鱼比去年多。
[[龚雪芬|P]]把自己做的粽子分给了左邻右舍。
如有疑问，请发邮件至[[service_dq@163.com|EMAIL]]。
"""

NEGATIVE_HAND = """
周末带孩子去了下渚湖湿地，顺便买了些青虾和菱角。
今年雷甸镇的杨梅比往年早熟了一个星期。
莫干山镇庾村的民宿一到节假日就爆满。
新市镇开展了黄酒文化节，吸引了上万名游客。
乾元镇金火村的水稻亩产创了新高。
记者从县交通运输局获悉，德清至杭州的城际铁路将于年底通车。
全县共有各类市场主体五万余户，比上年增长百分之八。
今天的会议由县委办公室主任主持，各乡镇街道负责人参加。
这批黄桃罐头已经全部销往上海和南京。
路过洛舍镇东衡村时，我们看到了成片的油菜花。
这个季度的电费比上个季度多了两百元左右。
今年的龙井茶收购价每斤涨了五十元。
由于连日降雨，钟管镇部分低洼地段出现积水。
起火原因初步查明是电动车充电时线路老化引起的。
原计划的工程款已经拨付了百分之六十。
张贴通知的时间是上午九点。
周边群众普遍反映噪音太大。
马上就要进入汛期了，各村要做好防汛准备。
方便面、矿泉水等救灾物资已经送到安置点。
小王和老李一起去钓鱼了。
高温天气持续，请广大市民注意防暑降温。
许多村民反映，村里的公交班次太少。
如何办理居住证？请到武康街道便民服务中心咨询。
金华火腿、安吉白茶和德清早园笋都是本地特产。
根据德政办发〔2023〕45号文件精神，各单位要做好安全生产工作。
会议在行政中心3号楼302会议室召开。
地铁5号线延伸段预计明年开通。
请到2号窗口取号，再到3楼办理。
钟管镇干山村举办了首届乡村文化节。
雷甸镇新安村召开村民代表大会，讨论土地流转事宜。
林业站工作人员到现场查看了毛竹的生长情况。
付款方式为银行转账，金额以合同为准。
曾经有人反映过这个问题，但一直没有得到解决。
白菜、萝卜、土豆每斤两元左右。
江南水乡的风景吸引了大批游客。
石灰、水泥、钢材等建材价格有所上涨。
黄金周期间，全县共接待游客四十余万人次。
武康街道、舞阳街道和阜溪街道的垃圾分类工作走在前列。
新市古镇的蚕花庙会有上千年的历史。
请各位业主于本月底前缴纳物业费。
"""


def _parse_marked(line: str, fill: Callable[[str], str]) -> dict:
    """`[[text|TYPE]]` markup to plain text plus spans; `{field}` placeholders are filled first."""
    text, spans, pos = "", [], 0
    for match in re.finditer(r"\[\[(.+?)\|([A-Z]+)\]\]", line):
        text += line[pos : match.start()]
        value = re.sub(r"\{(\w+)\}", lambda m: fill(m[1]), match[1])
        spans.append({"type": TYPES[match[2]], "start": len(text), "end": len(text) + len(value)})
        text += value
        pos = match.end()
    return {"text": text + line[pos:], "spans": spans}


class Values:
    """Valid synthetic values and the ways agencies write them (separators, full width, +86)."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.factory = people.PersonFactory(rng, date(2026, 11, 26))

    def name(self) -> str:
        return people.full_name(self.rng, self.rng.random() < 0.5)

    def resident_id(self) -> str:
        r = self.rng
        born = date(1935, 1, 1) + timedelta(days=r.randrange(365 * 75))
        value = identifiers.resident_id(self.factory.region(), born, r.random() < 0.5, r)
        if r.random() < 0.05:
            value = value[:6] + value[8:17]
        elif value.endswith("X") and r.random() < 0.5:
            value = value[:-1] + "x"
        return identifiers.to_full_width(value) if r.random() < 0.04 else value

    def mobile(self) -> str:
        value, style = identifiers.mobile(self.rng), self.rng.random()
        if style < 0.1:
            return f"{value[:3]}-{value[3:7]}-{value[7:]}"
        if style < 0.2:
            return f"{value[:3]} {value[3:7]} {value[7:]}"
        if style < 0.25:
            return "+86 " + value
        return identifiers.to_full_width(value) if style < 0.29 else value

    def landline(self) -> str:
        local = f"{self.rng.choice('2345678')}{self.rng.randrange(10**6):06d}"
        return self.rng.choice(("0572-{}", "(0572){}", "0572 {}", "0571-8{}", "0572{}")).format(local)

    def bank_card(self) -> str:
        value = identifiers.bank_card(self.rng)
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if self.rng.random() < 0.2 else value

    def uscc(self) -> str:
        kind = self.rng.choice(("enterprise", "sole_proprietor", "cooperative"))
        return identifiers.uscc(kind, "330521", self.rng, self.rng.random() < 0.7)

    def plate(self) -> str:
        value = identifiers.plate(self.rng, self.rng.random() < 0.3)
        return value[:2] + "·" + value[2:] if self.rng.random() < 0.2 else value

    def passport(self) -> str:
        r = self.rng
        return r.choice(("E{:08d}", "G{:08d}", "C{:08d}", "H{:08d}")).format(r.randrange(10**8))

    def email(self) -> str:
        user = self.rng.choice(("zhang", "li.ming", "wxy", "dq_chen", "hz2020", "xiaomei", "lao.wang"))
        return f"{user}{self.rng.randrange(1000)}@{self.rng.choice(('163.com', 'qq.com', '126.com', 'zjdq.gov.cn', 'sina.cn'))}"

    def ip(self) -> str:
        r = self.rng
        return f"{r.choice((10, 172, 192, 58, 115, 223))}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}"

    def address(self) -> str:
        return people.address(self.rng, people.pick_township(self.rng))

    def field(self, name: str) -> str:
        return {
            "mobile": self.mobile, "bank": self.bank_card, "plate": self.plate, "id": self.resident_id,
            "ip": self.ip, "passport": self.passport,
        }[name]()  # fmt: skip


class Fillers:
    """Look-alikes that are not personal data."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng

    def order(self) -> str:
        r = self.rng
        day = date(2023, 1, 1) + timedelta(days=r.randrange(1000))
        return r.choice((
            f"{day:%Y%m%d}{r.randrange(10**10):010d}",
            f"{day:%Y%m%d}{r.randrange(10**11):011d}",
            f"DD{day:%Y%m%d}{r.randrange(10**8):08d}",
            f"SF{r.randrange(10**12):012d}",
            f"{day:%Y%m%d}{r.randrange(24):02d}{r.randrange(60):02d}{r.randrange(60):02d}{r.randrange(10**4):04d}",
        ))  # fmt: skip

    def amount(self) -> str:
        value = self.rng.randrange(100, 10**7) / 100
        return self.rng.choice((f"{value:,.2f}元", f"{int(value)}元", f"¥{value:,.2f}", f"{value:.2f}万元"))

    def timestamp(self) -> str:
        moment = date(2023, 1, 1) + timedelta(days=self.rng.randrange(1000))
        h, m, s = self.rng.randrange(24), self.rng.randrange(60), self.rng.randrange(60)
        return self.rng.choice((
            f"{moment:%Y-%m-%d} {h:02d}:{m:02d}:{s:02d}", f"{moment:%Y%m%d}{h:02d}{m:02d}{s:02d}",
            f"{moment.year}年{moment.month}月{moment.day}日{h}时{m}分", f"{moment:%Y/%m/%d}",
        ))  # fmt: skip

    def township(self) -> str:
        return self.rng.choice(deqing_townships()).name

    def item(self) -> str:
        return self.rng.choice((
            "黄桃罐头", "金针菇", "白玉兰", "石斛", "杨梅", "高粱酒", "方便面", "雷竹笋", "毛竹", "龙井茶", "安吉白茶",
            "湖羊", "青虾", "甲鱼", "黄酒", "丝绵被", "钱江牌电饭煲", "白砂糖", "金龙鱼花生油", "马铃薯", "何首乌", "杜仲",
            "周黑鸭", "钟薛高", "叶酸片", "白术", "花雕酒", "菱角", "茭白", "莲藕",
        ))  # fmt: skip

    def service(self) -> str:
        return self.rng.choice((
            "营业执照变更登记", "食品经营许可证核发", "个体工商户设立登记", "最低生活保障审批", "居住证办理",
            "城乡居民医保参保登记", "残疾人两项补贴申请", "建设工程规划许可证核发", "出生医学证明办理",
        ))  # fmt: skip

    def number(self) -> str:
        r = self.rng
        return r.choice(
            (
                f"DQ{r.randrange(2019, 2027)}{r.randrange(10**6):06d}",
                f"{r.randrange(10**6):06d}",
                f"第{r.randrange(1, 99)}号",
            )
        )


ADMIN_TEMPLATES = (
    "申请人{P}，身份证号{ID}，联系电话{M}，现住{A}。",
    "户主：{P}；公民身份号码：{ID}；家庭住址：{A}",
    "经核实，{P}（身份证号码{ID}）符合最低生活保障条件，补助金按月发放至其银行卡{BANK}。",
    "来电人{P}反映{A}附近路灯损坏，回电号码{M}。",
    "{P}，{SEX}，{AGE}岁，住{A}，联系电话{M}。",
    "车主{P}驾驶{PLATE}小型轿车在{TOWN}发生轻微剐蹭，已协商处理。",
    "企业名称：德清县{ITEM}经营部，统一社会信用代码：{USCC}，法定代表人：{P}，办公电话：{L}。",
    "持护照{PASS}入境的{P}已完成健康登记。",
    "投诉人{P}（手机{M}）称其在{TOWN}某超市购买的{ITEM}存在质量问题。",
    "请将材料发送至{P}的邮箱{EMAIL}，抄送经办人{P}。",
    "系统检测到账号于{TIME}从IP地址{IP}异常登录，请{P}核实。",
    "被监护人{P}，监护人{P}，联系方式{M}。",
    "{P}的儿子{P}于{TIME}办理了新生儿落户，户籍地址{A}。",
    "收款人：{P}  开户行：农商银行德清支行  卡号：{BANK}",
    "联系人：{P}  电话：{L}  手机：{M}",
    "房屋出租登记：出租人{P}，承租人{P}（身份证{ID}），房屋坐落{A}。",
    "退役军人{P}，现居住于{A}，优抚对象编号{NUM}。",
    "走访记录：{TIME}走访困难户{P}，了解其家庭收入情况，联系电话{M}。",
    "当事人{P}，身份证号码{ID}，驾驶{PLATE}号电动车未佩戴头盔，予以警告。",
    "{P}于{TIME}在{TOWN}便民服务中心申请办理{SERVICE}，受理人{P}。",
    "身份证：{ID}；姓名：{P}；手机：{M}",
    "受理编号{ORDER}，申请人{P}，联系电话{M}，办理事项{SERVICE}。",
    "原住址{A}，现迁至{A}，联系人{P}。",
    "往来港澳通行证号码{PERMIT}，持证人{P}，签注有效期至2027年。",
    "个体工商户{P}（统一社会信用代码{USCC}）经营{ITEM}零售，经营场所{A}。",
    "报案人{P}称其电动车于{TIME}在{TOWN}被盗，报案电话{M}。",
    "低保户{P}家庭成员：配偶{P}，儿子{P}，家庭住址{A}。",
    "经办人：{P}，联系电话：{L}，邮箱：{EMAIL}",
)
PROSE_TEMPLATES = (
    "{P}说今年的茶叶收成不错。",
    "昨天{P}和{P}一起去了{TOWN}。",
    "听说{P}已经搬到{A}了。",
    "{P}把{ITEM}送到了村委会。",
    "那天晚上{P}给我打了个电话，号码是{M}。",
    "{P}在{TOWN}开了一家小店，专门卖{ITEM}。",
    "我问{P}有没有看到那辆车，他说没注意。",
    "多亏了{P}的帮忙，事情才这么快解决。",
    "{P}一大早就去了县城，到现在还没回来。",
    "这件事{P}最清楚，你去问问他吧。",
)
NEGATIVE_TEMPLATES = (
    "订单号{ORDER}已发货，金额{AMOUNT}，预计三天内送达。",
    "流水号{ORDER}，交易时间{TIME}，交易金额{AMOUNT}。",
    "{TOWN}{ITEM}收购价为每斤{AMOUNT}。",
    "{TIME}，{TOWN}开展{SERVICE}集中宣传活动。",
    "本月{TOWN}共受理{SERVICE}{NUM}件，办结率100%。",
    "快递单号{ORDER}，签收时间{TIME}。",
    "{ITEM}库存不足，请于{TIME}前补货，采购金额{AMOUNT}。",
    "文件编号{NUM}，印发时间{TIME}，发至{TOWN}。",
    "{TOWN}和{TOWN}联合举办{ITEM}推介会。",
    "发票号码{ORDER}，开票金额{AMOUNT}，开票日期{TIME}。",
    "设备编号{NUM}于{TIME}完成巡检，运行正常。",
    "{SERVICE}业务量同比增长{AGE}%。",
)


def _fill_template(template: str, values: Values, fillers: Fillers) -> dict:
    makers = {
        "P": values.name, "ID": values.resident_id, "M": values.mobile, "L": values.landline,
        "BANK": values.bank_card, "USCC": values.uscc, "PLATE": values.plate, "PASS": values.passport,
        "PERMIT": lambda: "C" + f"{values.rng.randrange(10**8):08d}", "EMAIL": values.email, "IP": values.ip,
        "A": values.address, "ORDER": fillers.order, "AMOUNT": fillers.amount, "TIME": fillers.timestamp,
        "TOWN": fillers.township, "ITEM": fillers.item, "SERVICE": fillers.service, "NUM": fillers.number,
        "SEX": lambda: values.rng.choice("男女"), "AGE": lambda: str(values.rng.randrange(18, 95)),
    }  # fmt: skip
    labeled = {"P", "ID", "M", "L", "BANK", "USCC", "PLATE", "PASS", "PERMIT", "EMAIL", "IP", "A"}
    text, spans, pos = "", [], 0
    for match in re.finditer(r"\{(\w+)\}", template):
        text += template[pos : match.start()]
        value = makers[match[1]]()
        if match[1] in labeled:
            kind = "PASS" if match[1] == "PERMIT" else match[1]
            spans.append({"type": TYPES[kind], "start": len(text), "end": len(text) + len(value)})
        text += value
        pos = match.end()
    return {"text": text + template[pos:], "spans": spans}


def _hand(block: str, kind: str, values: Values) -> list[dict]:
    lines = [line for line in block.strip().splitlines() if line.strip()]
    return [_parse_marked(line, values.field) | {"kind": kind} for line in lines]


def eval_lines(seed: int = SEED) -> list[dict]:
    """The labeled evaluation set: {"text", "spans": [{"type", "start", "end"}], "kind"} per line."""
    rng = Random(seed)
    values, fillers = Values(rng), Fillers(rng)
    lines = _hand(PROSE_DEV + PROSE_DEV_2, "prose_dev", values) + _hand(PROSE_HOLDOUT, "prose_holdout", values)
    lines += _hand(NEGATIVE_HAND, "negative", values)
    for _ in range(12):
        lines += [_fill_template(t, values, fillers) | {"kind": "admin"} for t in ADMIN_TEMPLATES]
    for _ in range(10):
        lines += [_fill_template(t, values, fillers) | {"kind": "prose_template"} for t in PROSE_TEMPLATES]
    for _ in range(14):
        lines += [_fill_template(t, values, fillers) | {"kind": "negative"} for t in NEGATIVE_TEMPLATES]
    return lines


TRIVIAL_NOTES = ("无", "已办结", "材料齐全，准予办理", "已电话回访，群众满意", "需补充证明材料", "同意", "按时缴费", "", "正常",
                 "情况属实", "待复核", "已转交相关部门处理", "联系不上，下月复核", "符合条件")  # fmt: skip


def _remark(rng: Random) -> str:
    """A boilerplate remark, sometimes two joined (已电话回访，群众满意；待复核)."""
    first = rng.choice(TRIVIAL_NOTES)
    return f"{first}；{rng.choice(TRIVIAL_NOTES)}" if first and rng.random() < 0.3 else first


def notes(n: int, seed: int = SEED, personal_share: float = 0.1, lookalike_share: float = 0.15) -> list[str | None]:
    """`n` remarks as a 备注 column holds them: 2% null, `personal_share` with personal data,
    `lookalike_share` with numbers, places and items but nothing personal, the rest boilerplate."""
    rng = Random(seed)
    values, fillers = Values(rng), Fillers(rng)
    out: list[str | None] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.02:
            out.append(None)
        elif r < 0.02 + personal_share:
            template = rng.choice(ADMIN_TEMPLATES + PROSE_TEMPLATES)
            out.append(_fill_template(template, values, fillers)["text"])
        elif r < 0.02 + personal_share + lookalike_share:
            out.append(_fill_template(rng.choice(NEGATIVE_TEMPLATES), values, fillers)["text"])
        else:
            out.append(_remark(rng))
    return out
