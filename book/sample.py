"""A synthetic corpus of captures in the format of ARTICLE-FORMAT.md.

Benchmarks need thousands of articles and the project has one real capture, so
this module fakes the rest: same anatomy as the seed (breadcrumb, glued meta
line, 小编导语 … 小编总结, site chrome, copyright, source link, related list),
every heading scheme the format names (mixed within articles), traditional
captures, body-only captures, the template holes the site leaves
(``成立于年``), and related lists that mostly name other articles of the same
corpus by their exact title.

Output depends only on ``(n, seed)``: every random choice comes from
``random.Random`` instances seeded from the corpus seed, never from global
state, the clock or ``hash()`` of a string (which is salted per process).

``samples`` also hands back what the generator *meant* (the heading levels it
intended, the related titles it chose), so tests can check the readers against
it.  ``generate``/``write`` are the plain-text interface; ``main`` is the CLI
``python -m book sample --articles N --out DIR [--seed S]``.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import math
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SITE = "https://www.hefeilaws.com/hf/"
# Verbatim from the seed capture: the page must show it, so the corpus must have it exactly.
COPYRIGHT = (
    "版权声明:本文由浙江合飞律师事务所结合法律法规原创并发布,除法院案例栏目内容为公开转载,"
    "如无特殊声明均为原创,如需转载请附上来源链接。"
)
CHROME = "扫描二维码推送至手机访问。"
FIRST_ID = 60000
# The site's "N个月前 (MM-DD)" is relative to when the page was captured; a fixed
# capture day keeps the corpus independent of when it is generated.
CAPTURE_DAY = dt.date(2025, 5, 10)

# Shares chosen to look like a real crawl: mostly ordinary pages, a few odd ones.
TRADITIONAL_SHARE = 0.04
BODY_ONLY_SHARE = 0.04
OUTSIDE_RELATED_SHARE = 0.15


def _norm(text: str) -> str:
    # The capture normalised full-width comma/colon/parentheses to ASCII; write
    # the vocabulary naturally and normalise it the same way once.
    return text.replace("，", ",").replace("：", ":").replace("（", "(").replace("）", ")")


def _words(block: str) -> tuple[str, ...]:
    return tuple(block.split())


def _lines(block: str) -> tuple[str, ...]:
    return tuple(_norm(s.strip()) for s in block.strip().splitlines() if s.strip())


# --------------------------------------------------------------------------- vocabulary
# {t} is the article's topic.  Sentences end with 。 so no paragraph can be
# mistaken for a heading; headings are short and never end with punctuation.


@dataclass(frozen=True)
class _Category:
    name: str
    subs: tuple[str, ...]  # second-level crumbs for nested breadcrumbs
    topics: tuple[str, ...]
    titles: tuple[str, ...]
    tops: tuple[str, ...]  # top-level section headings
    questions: tuple[str, ...]
    sentences: tuple[str, ...]
    clauses: tuple[str, ...]
    # Sub-headings and outline aspects that only make sense for an
    # organisation (国美金融's 总部位置), not for 诈骗罪.
    org_subs: tuple[str, ...] = ()
    org_aspects: tuple[str, ...] = ()


_PLATFORMS = (
    "国美金融 招联金融 360借条 花呗 借呗 微粒贷 平安普惠 捷信 马上消费金融 中银消费金融 兴业消费金融 "
    "度小满 京东白条 京东金条 美团月付 美团借钱 分期乐 安逸花 宜人贷 拍拍贷 小赢卡贷 还呗 省呗 桔子分期 "
    "玖富万卡 网商贷 有钱花 携程金融 苏宁金融 洋钱罐 众安贷 榕树贷款 豆豆钱 放心借 好分期 来分期 提钱花 "
    "人品贷 信用飞 翼支付 小米金融 滴滴金融 抖音月付 你我贷 陆金所 湖北消费金融 哈银消费金融 长银消费金融 "
    "海尔消费金融 中原消费金融 尚诚消费金融 唯品花 分期易"
).split()
_BANKS = (
    "浦发 招商银行 广发 交通银行 中信 光大 建设银行 工商银行 农业银行 中国银行 民生 平安银行 华夏 兴业银行 邮储银行"
)

_GENERIC_TITLES = _lines("""
{t}怎么处理
{t}的法律规定
{t}需要什么条件
{t}怎么认定
{t}纠纷怎么解决
{t}需要多长时间
{t}律师费用多少
{t}最新规定
{t}的流程是什么
{t}有哪些注意事项
{t}起诉书怎么写
{t}常见问题解答
{t}如何取证
{t}判决标准
{t}能反悔吗
{t}怎么办?
{t}找律师有用吗
{t}赔偿标准是多少
{t}可以私了吗
{t}的后果有哪些
{t}去哪里咨询
""")

_CATEGORIES: tuple[_Category, ...] = (
    _Category(
        name="金融债务",
        subs=("网贷逾期", "信用卡逾期", "催收投诉"),
        topics=tuple(_PLATFORMS) + tuple(b + "信用卡" for b in _BANKS.split()),
        titles=_lines("""
            {t}催收部在哪
            {t}逾期怎么办
            {t}无能力还贷怎么办
            {t}贷款逾期处理方法
            {t}不给协商怎么办
            {t}拒绝协商该怎么处理
            {t}催收短信内容样本
            {t}催收短信怎么办?
            {t}催收是属于哪个机构
            {t}逾期多久会被起诉
            {t}逾期会上征信吗
            {t}可以协商停息挂账吗
            {t}个性化分期怎么申请
            {t}暴力催收怎么投诉
            {t}客服电话是多少
            {t}逾期一天有影响吗
            {t}利息太高怎么办
            {t}起诉了怎么应对
            {t}逾期三个月会怎样
            {t}还不上了怎么办
            {t}协商还款技巧
            {t}上门催收是真的吗
            {t}逾期会联系家人吗
            {t}减免违约金怎么申请
            {t}逾期了还能再借吗
            {t}账单分期划算吗
            {t}额度被冻结怎么办
            {t}法务部电话
            {t}律师函是真的吗
            {t}逾期被立案了怎么办
        """),
        tops=_lines("""
            {t}催收部的位置
            催收部门的职能
            催收流程
            催收部与客户的关系
            逾期的法律后果
            协商还款的方法
            征信的影响
            {t}的投诉渠道
            停息挂账的条件
            与催收人员沟通的技巧
            被起诉后的处理
            个性化分期的申请流程
            {t}的利率与费用
            {t}催收短信的重要性
            暴力催收的认定
        """),
        questions=_lines("""
            {t}逾期会坐牢吗?
            催收可以上门吗?
            逾期会影响子女吗?
            可以只还本金吗?
            {t}会起诉吗?
            征信多久能恢复?
            催收打电话给家人违法吗?
            协商失败怎么办?
            违约金可以减免吗?
            催收短信应该如何反应?
        """),
        sentences=_lines("""
            金融服务已成为人们生活中不可或缺的一部分。
            随着金融产品的多样化发展，催收部门也逐渐成为金融机构的重要组成部分。
            {t}作为一家知名的金融服务机构，其催收工作受到了广泛关注。
            {t}成立于年，是一家专注于消费金融服务的公司。
            {t}的总部位于市，具体地址为。
            随着互联网金融的迅速发展，越来越多的人选择通过网贷解决资问。
            催收部门是金融机构中专门负责债务催收的部门，主要任务是对逾期未还款项进行催收。
            催收工作不仅关乎公司的资金流动，更关乎客户的信用记录。
            逾期还款不仅会产生高额的罚息和违约金，还会影响个人征信。
            借款人如果确实无力偿还，可以主动联系{t}的客服，说明自己的实际情况。
            根据相关规定，金融机构可以为困难借款人办理个性化分期还款。
            催收人员不得采用暴力、恐吓、侮辱等手段进行催收。
            如果遇到暴力催收，借款人可以向金融监管部门或者互联网金融协会投诉。
            借款人也可以保留通话录音，必要时向公安机关报案。
            逾期记录一般会在征信报告中保留五年。
            借款人应当合理规划自己的收支，避免过度借贷。
            {t}的年化利率一般在法律规定的范围之内。
            根据最高人民法院的规定，民间借贷利率的司法保护上限为一年期贷款市场报价利率的四倍。
            如果借款人长期逾期，{t}可能会通过诉讼的方式追讨欠款。
            借款人收到法院传票后，应当按时出庭应诉。
            与{t}协商时，借款人应当如实说明自己的收入和负债情况。
            协商成功后，一定要让对方出具书面的还款协议。
            需要提醒的是，网络上所谓的“征信修复”大多是骗局。
            借款人不要轻信所谓的“债务优化”机构，以免上当受骗。
            通过电话、短信、邮件等方式与客户沟通，催收部门能够更高效地进行催收工作。
            催收短信中如果含有威胁性的内容，借款人可以截图保存作为证据。
            {t}通常会先通过短信和电话提醒借款人还款。
            逾期时间越长，产生的费用就越多，对征信的影响也越大。
            借款人在还款困难时，千万不要以贷养贷。
            信用卡透支超过规定期限，经发卡银行两次催收后超过三个月仍不归还的，可能涉嫌信用卡诈骗罪。
            停息挂账是指在一定期限内停止计息，将欠款挂账分期偿还。
            个性化分期的期限最长一般不超过五年。
            催收部门的工作直接影响客户的信用记录。
            友好的沟通能够缓解客户的心理压力，提高催收的成功率。
            希望未来{t}能够在催收工作中继续创新，为客户提供更好的服务。
        """),
        clauses=_lines("""
            借款人应当主动与{t}协商还款方案
            逾期记录会对个人征信产生不良影响
            催收人员必须遵守相关的法律法规
            借款人可以申请停息挂账或者个性化分期
            {t}一般会先进行电话和短信催收
            借款人应当核实欠款金额是否准确
            高额的违约金可以要求予以调整
            借款人不应当以贷养贷
        """),
        org_subs=_lines("""
            {t}的背景
            {t}的使命与愿景
            总部位置
            分支机构
            在线催收
            催收部门的定义
            催收工作的意义
            客户的信用记录
            客户的心理感受
            解决方案的提供
        """),
        org_aspects=_words("职能 位置 工作流程 催收方式"),
    ),
    _Category(
        name="婚姻家庭",
        subs=("离婚纠纷", "继承纠纷"),
        topics=_words("""
            离婚财产分割 子女抚养权 彩礼返还 婚前财产 夫妻共同债务 遗产继承 遗嘱效力 赡养费 家庭暴力
            协议离婚 诉讼离婚 离婚冷静期 探视权 抚养费 婚内出轨 房产加名 同居析产 非婚生子女
            收养手续
        """),
        titles=_GENERIC_TITLES
        + _lines("""
            {t}怎么判
            {t}需要双方到场吗
            {t}女方有哪些权利
        """),
        tops=_lines("""
            离婚的方式
            夫妻共同财产的认定
            子女抚养权的归属
            抚养费的计算标准
            彩礼返还的条件
            离婚冷静期的规定
            遗产的范围
            法定继承的顺序
            遗嘱的形式
            家庭暴力的认定
        """),
        questions=_lines("""
            离婚后孩子归谁?
            彩礼需要退还吗?
            婚前房产怎么分?
            冷静期内可以撤回吗?
            {t}需要多久?
        """),
        sentences=_lines("""
            婚姻关系的解除涉及财产分割、子女抚养等多方面的问题。
            根据《民法典》的规定，夫妻在婚姻关系存续期间所得的财产一般为夫妻共同财产。
            离婚时，夫妻共同财产由双方协议处理，协议不成的，由人民法院根据财产的具体情况判决。
            法院在判决子女抚养权归属时，会以最有利于未成年子女的原则进行判决。
            已满八周岁的子女，法院应当尊重其真实意愿。
            离婚冷静期为三十日，自婚姻登记机关收到离婚登记申请之日起计算。
            一方婚前个人所有的财产，一般属于其个人财产。
            彩礼是否需要返还，需要结合双方是否办理结婚登记、是否共同生活等因素综合判断。
            夫妻一方在婚姻关系存续期间以个人名义为家庭日常生活需要所负的债务，属于夫妻共同债务。
            遭受家庭暴力的一方可以向法院申请人身安全保护令。
            继承开始后，按照法定继承办理，有遗嘱的，按照遗嘱继承或者遗赠办理。
            遗嘱人可以撤回、变更自己所立的遗嘱。
            成年子女对父母负有赡养、扶助和保护的义务。
            不直接抚养子女的一方，有探望子女的权利，另一方有协助的义务。
            抚养费的数额，可以根据子女的实际需要、父母双方的负担能力和当地的实际生活水平确定。
            在离婚诉讼中，一方隐藏、转移共同财产的，分割时可以少分或者不分。
        """),
        clauses=_lines("""
            法院会优先考虑未成年子女的利益
            双方可以就财产分割达成协议
            当事人应当提前整理好家庭财产清单
        """),
    ),
    _Category(
        name="劳动纠纷",
        subs=("工伤赔偿", "劳动仲裁"),
        topics=_words("""
            劳动仲裁 经济补偿金 工伤认定 拖欠工资 试用期辞退 社保断缴 竞业限制 加班费
            违法解除劳动合同 劳务派遣 未签劳动合同 年休假工资 工伤十级伤残 产假工资 离职证明
        """),
        titles=_GENERIC_TITLES
        + _lines("""
            {t}怎么计算
            {t}仲裁能赢吗
            {t}公司不给怎么办
        """),
        tops=_lines("""
            劳动关系的认定
            劳动仲裁的流程
            经济补偿的计算
            工伤认定的条件
            工伤赔偿的项目
            加班费的计算
            社保的缴纳义务
            违法解除的赔偿
            竞业限制的规定
            试用期的规定
        """),
        questions=_lines("""
            没签合同怎么办?
            工伤期间工资怎么算?
            仲裁需要多长时间?
            {t}怎么计算?
        """),
        sentences=_lines("""
            用人单位自用工之日起即与劳动者建立劳动关系。
            用人单位应当依法为劳动者缴纳社会保险费。
            劳动争议申请仲裁的时效期间为一年。
            劳动仲裁不收取费用，劳动者可以放心申请。
            用人单位违法解除劳动合同的，应当按照经济补偿标准的二倍向劳动者支付赔偿金。
            经济补偿按劳动者在本单位工作的年限，每满一年支付一个月工资的标准向劳动者支付。
            用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资。
            劳动者在试用期内的工资不得低于本单位相同岗位最低档工资的百分之八十。
            职工在工作时间和工作场所内，因工作原因受到事故伤害的，应当认定为工伤。
            工伤认定申请应当在事故伤害发生之日起一年内提出。
            用人单位安排劳动者延长工作时间的，应当支付不低于工资百分之一百五十的工资报酬。
            劳动者应当注意保存工资条、考勤记录、工作证等证据。
            竞业限制的期限不得超过二年。
            用人单位拖欠工资的，劳动者可以向劳动监察大队投诉。
        """),
        clauses=_lines("""
            劳动者应当保存好劳动关系的证据
            用人单位不得随意解除劳动合同
            劳动者可以向劳动仲裁委员会申请仲裁
        """),
    ),
    _Category(
        name="合同纠纷",
        subs=("民间借贷", "租赁合同"),
        topics=_words("""
            租赁合同 买卖合同 借款合同 定金纠纷 违约金 装修合同 借条 欠条 民间借贷 担保合同 网购退款
            格式条款 口头合同 合同解除 居间合同
        """),
        titles=_GENERIC_TITLES
        + _lines("""
            {t}范本
            {t}无效的情形
            {t}违约怎么赔
        """),
        tops=_lines("""
            合同的成立与生效
            违约责任的承担
            定金与订金的区别
            违约金的调整
            借条的写法
            民间借贷的利率
            合同解除的条件
            担保责任的承担
            租赁合同的主要内容
        """),
        questions=_lines("""
            借条丢了怎么办?
            定金能退吗?
            违约金过高怎么办?
            {t}有效吗?
        """),
        sentences=_lines("""
            合同是民事主体之间设立、变更、终止民事法律关系的协议。
            依法成立的合同，对当事人具有法律约束力。
            当事人一方不履行合同义务或者履行合同义务不符合约定的，应当承担违约责任。
            约定的违约金过分高于造成的损失的，当事人可以请求人民法院予以适当减少。
            定金的数额由当事人约定，但是不得超过主合同标的额的百分之二十。
            收受定金的一方不履行债务的，应当双倍返还定金。
            借条中应当写明借款人、出借人、借款金额、借款期限以及利息等内容。
            借款人到期不还款的，出借人可以凭借条向法院提起诉讼。
            口头合同虽然有效，但是在发生纠纷时往往难以举证。
            格式条款提供方应当采取合理的方式提示对方注意免除或者减轻其责任的条款。
            合同约定不明确的，可以协议补充，不能达成补充协议的，按照合同相关条款或者交易习惯确定。
            保证人与债权人约定保证方式的，按照约定承担保证责任。
            租赁期限不得超过二十年。
            承租人应当按照约定的方法使用租赁物。
        """),
        clauses=_lines("""
            合同条款应当尽量约定明确
            违约方应当赔偿守约方的损失
            当事人可以约定争议的解决方式
        """),
    ),
    _Category(
        name="刑事辩护",
        subs=("经济犯罪", "侵犯人身权利"),
        topics=_words("""
            诈骗罪 帮信罪 盗窃罪 取保候审 危险驾驶罪 非法集资 寻衅滋事罪 故意伤害罪 缓刑 开设赌场罪
            职务侵占罪 非法吸收公众存款罪 掩饰隐瞒犯罪所得罪 刑事和解 批准逮捕
        """),
        titles=_GENERIC_TITLES
        + _lines("""
            {t}判几年
            {t}的立案标准
            {t}辩护要点
            {t}会留案底吗
        """),
        tops=_lines("""
            罪名的构成要件
            量刑标准
            取保候审的条件
            辩护的要点
            缓刑的适用条件
            自首与立功
            认罪认罚从宽
            刑事和解的程序
            律师会见的权利
            不起诉的情形
        """),
        questions=_lines("""
            会判几年?
            可以取保候审吗?
            家属能做些什么?
            {t}能缓刑吗?
        """),
        sentences=_lines("""
            刑事案件的处理关系到当事人的人身自由，必须慎重对待。
            犯罪嫌疑人自被侦查机关第一次讯问或者采取强制措施之日起，有权委托辩护人。
            取保候审的期限最长不得超过十二个月。
            被取保候审的犯罪嫌疑人应当遵守相关规定，未经批准不得离开所居住的市、县。
            对于犯罪情节较轻、有悔罪表现的，法院可以依法宣告缓刑。
            自首的犯罪分子，可以从轻或者减轻处罚。
            积极退赃退赔、取得被害人谅解，是量刑时的重要考量因素。
            律师在侦查阶段可以会见犯罪嫌疑人，了解案件的有关情况。
            认罪认罚从宽制度为犯罪嫌疑人提供了从宽处理的机会。
            检察院对于证据不足的案件，可以作出不起诉的决定。
            诈骗公私财物数额较大的，处三年以下有期徒刑、拘役或者管制，并处或者单处罚金。
            明知他人利用信息网络实施犯罪，为其犯罪提供帮助的，可能构成帮助信息网络犯罪活动罪。
            家属应当及时为当事人委托律师，争取最有利的处理结果。
            刑事辩护的核心在于审查证据，找出对当事人有利的事实和情节。
        """),
        clauses=_lines("""
            辩护律师应当及时介入案件
            犯罪嫌疑人享有依法辩护的权利
            量刑时会综合考虑各种情节
        """),
    ),
    _Category(
        name="房产纠纷",
        subs=("房屋买卖", "拆迁安置"),
        topics=_words("""
            二手房买卖 拆迁补偿 房屋租赁 物业费纠纷 不动产权证 宅基地 烂尾楼 公积金贷款 房屋继承
            房屋漏水 购房定金 小产权房 房贷断供 学区房 网签备案
        """),
        titles=_GENERIC_TITLES
        + _lines("""
            {t}要注意什么
            {t}纠纷找谁
        """),
        tops=_lines("""
            房屋产权的确认
            购房合同的签订
            网签备案的流程
            拆迁补偿的标准
            征收程序
            物业服务的纠纷
            逾期交房的责任
            房屋买卖的风险
            宅基地的使用
        """),
        questions=_lines("""
            开发商逾期交房怎么办?
            定金能要回来吗?
            拆迁补偿怎么算?
            {t}能退吗?
        """),
        sentences=_lines("""
            不动产物权的设立、变更、转让和消灭，经依法登记，发生效力。
            购买二手房时，买方应当查清房屋的产权状况，确认是否存在抵押或者查封。
            房屋买卖合同签订后，双方应当及时办理网签备案手续。
            征收个人住宅的，应当保障被征收人的居住条件。
            被征收人对补偿决定不服的，可以依法申请行政复议，也可以依法提起行政诉讼。
            业主应当按照约定交纳物业费，物业服务企业也应当按照约定提供服务。
            宅基地使用权人依法对集体所有的土地享有占有和使用的权利。
            开发商逾期交房的，购房者可以要求其承担违约责任。
            房屋漏水造成他人损失的，房屋所有人应当承担赔偿责任。
            小产权房无法办理不动产权证，购买时存在较大的法律风险。
            购房者在签订合同前，应当仔细核对开发商的五证是否齐全。
            房贷断供后，银行有权依法处置抵押房产。
        """),
        clauses=_lines("""
            购房者应当核实房屋的权属状况
            房屋交易应当签订书面合同
            相关手续应当及时办理
        """),
    ),
    _Category(
        name="交通事故",
        subs=("事故赔偿", "保险理赔"),
        topics=_words("""
            交通事故赔偿 肇事逃逸 交强险 误工费 伤残鉴定 事故责任认定书 电动车事故 商业三者险 醉驾
            追尾事故 车辆定损 死亡赔偿金 护理费
        """),
        titles=_GENERIC_TITLES
        + _lines("""
            {t}怎么赔偿
            {t}理赔流程
        """),
        tops=_lines("""
            事故责任的认定
            赔偿项目与标准
            交强险的赔偿范围
            商业险的理赔
            伤残鉴定的流程
            误工费的计算
            肇事逃逸的后果
            事故处理的流程
            诉讼时效
        """),
        questions=_lines("""
            对方全责怎么赔?
            保险公司拒赔怎么办?
            误工费怎么算?
            {t}找谁赔?
        """),
        sentences=_lines("""
            发生交通事故后，当事人应当立即停车，保护现场，并及时报警。
            交警部门会根据现场勘查情况出具事故责任认定书。
            机动车发生交通事故造成损害的，先由交强险在责任限额范围内予以赔偿。
            交强险的死亡伤残赔偿限额为十八万元，医疗费用赔偿限额为一万八千元。
            不足部分，由商业三者险按照保险合同的约定予以赔偿。
            受害人可以主张医疗费、误工费、护理费、交通费、营养费等费用。
            误工费根据受害人的误工时间和收入状况确定。
            受害人构成伤残的，还可以主张残疾赔偿金和精神损害抚慰金。
            伤残等级需要由具有资质的司法鉴定机构进行鉴定。
            交通肇事后逃逸的，将面临更加严厉的处罚。
            当事人对事故责任认定书有异议的，可以在收到之日起三日内申请复核。
            电动自行车在道路上行驶时，也应当遵守交通规则。
        """),
        clauses=_lines("""
            受害人应当保存好医疗票据
            保险公司应当在限额内先行赔付
            事故责任是确定赔偿比例的依据
        """),
    ),
    _Category(
        name="公司法务",
        subs=("股权纠纷", "企业合规"),
        topics=_words("""
            股权转让 公司注销 法人变更 股东出资 破产清算 商标注册 个体户注册 股权代持 公司章程
            对赌协议 合伙协议 知识产权侵权 企业合规 营业执照
        """),
        titles=_GENERIC_TITLES
        + _lines("""
            {t}需要哪些材料
            {t}的风险有哪些
        """),
        tops=_lines("""
            公司设立的条件
            股权转让的程序
            股东出资的义务
            公司注销的流程
            法定代表人的变更
            公司章程的作用
            破产清算的程序
            股权代持的风险
            企业合规管理
            商标注册的流程
        """),
        questions=_lines("""
            股权转让要交税吗?
            公司注销后债务怎么办?
            股东可以退股吗?
            {t}要多久?
        """),
        sentences=_lines("""
            有限责任公司的股东以其认缴的出资额为限对公司承担责任。
            股东应当按期足额缴纳公司章程中规定的各自所认缴的出资额。
            有限责任公司的股东向股东以外的人转让股权的，应当将股权转让的数量、价格等事项书面通知其他股东。
            公司注销前应当依法进行清算，清偿公司债务。
            公司的法定代表人变更，应当办理变更登记。
            公司章程对公司、股东、董事、监事、高级管理人员具有约束力。
            股权代持协议在不违反法律强制性规定的情况下一般认定有效。
            企业应当建立健全合规管理体系，防范经营过程中的法律风险。
            注册商标的有效期为十年，期满需要继续使用的，应当办理续展手续。
            公司不能清偿到期债务，并且资产不足以清偿全部债务的，可以申请破产。
            对赌协议的效力需要结合协议主体和具体内容进行判断。
            合伙人对合伙企业的债务承担无限连带责任。
        """),
        clauses=_lines("""
            企业应当重视日常经营中的法律风险
            股东之间应当事先约定好权利义务
            相关变更应当及时办理登记
        """),
    ),
    _Category(
        name="法院案例",
        subs=("民事案例", "刑事案例"),
        topics=_words("""
            民间借贷纠纷案 信用卡纠纷案 劳动争议案 离婚纠纷案 交通事故责任纠纷案 房屋买卖合同纠纷案
            金融借款合同纠纷案 股权转让纠纷案
        """),
        titles=_lines("""
            {t}判决书
            {t}典型案例分析
            {t}一审民事判决书
            {t}二审判决
            {t}裁判要旨
            {t}案例解读
        """),
        tops=_lines("""
            基本案情
            原告诉称
            被告辩称
            法院查明
            法院认为
            裁判结果
            案例评析
            律师点评
            争议焦点
        """),
        questions=_lines("""
            法院为何这样判?
            本案有何启示?
        """),
        sentences=_lines("""
            原告诉称，被告向其借款后一直未予归还，经多次催要无果。
            被告辩称，双方之间并不存在借贷关系。
            法院经审理查明，原、被告之间的借贷关系合法有效。
            本院认为，当事人对自己提出的主张，有责任提供证据。
            依照《中华人民共和国民事诉讼法》的相关规定，判决如下。
            如不服本判决，可以在判决书送达之日起十五日内提起上诉。
            案件受理费由被告负担。
            该案的判决对于类似{t}具有一定的参考意义。
        """),
        clauses=_lines("""
            法院依法组成合议庭进行了审理
            本案事实清楚，证据确实充分
        """),
    ),
)

_GENERIC_TOPS = _lines("""
    {t}概述
    {t}的基本概念
    {t}的法律依据
    {t}的处理流程
    常见问题解答
    注意事项
    应对策略
    法律后果
    维权途径
    相关案例分析
    {t}的常见误区
    律师建议
    证据的收集与保存
    费用与期限
    {t}的挑战与展望
    背景介绍与问题定义
    问题介绍
    常见问题与回答
    解决方案
    如何预防{t}纠纷
    {t}的认定标准
    办理所需材料
    司法实践中的处理
""")
_SUBS = _lines("""
    背景
    定义
    意义
    法律规定
    司法实践
    具体步骤
    准备材料
    申请条件
    办理时间
    费用标准
    风险提示
    常见误区
    相关案例
    证据保存
    沟通技巧
    处理期限
    适用范围
    基本原则
    主要特点
    影响因素
    {t}的现状
    挑战
    展望
    起始阶段
    初步联系
    深入沟通
    法律途径
    当事人的权利
    当事人的义务
    举证责任
    赔偿范围
    计算方法
    例外情形
    实务要点
    {t}的特点
""")
_STEPS = _lines("""
    了解{t}的基本情况
    准备相关材料
    主动联系对方
    提出协商方案
    签订书面协议
    按时履行义务
    保留相关证据
    咨询专业律师
    提交申请
    等待审核结果
    申请仲裁
    向法院起诉
    申请强制执行
    核实具体金额
    评估自身情况
""")
_GENERIC_QUESTIONS = _lines("""
    需要准备哪些材料?
    多久能处理完?
    费用由谁承担?
    需要请律师吗?
    有哪些注意事项?
    可以自己处理吗?
    诉讼时效是多久?
    对方不配合怎么办?
    证据不足怎么办?
    可以申请法律援助吗?
    {t}是什么?
    {t}有什么影响?
    {t}应该怎么处理?
""")
_GENERIC_SENTENCES = _lines("""
    在现代社会中，法律问题已经渗透到人们生活的方方面面。
    随着经济社会的不断发展，与{t}相关的纠纷日益增多。
    很多人在遇到{t}问题时往往不知所措，不知道应该如何维护自己的合法权益。
    根据《中华人民共和国民法典》的相关规定，当事人应当按照约定全面履行自己的义务。
    当事人在处理{t}问题时，应当保留好聊天记录、转账凭证等相关证据。
    如果双方协商不成，当事人可以向有管辖权的人民法院提起诉讼。
    在司法实践中，法院会综合考虑案件的具体情况作出判决。
    建议当事人在处理{t}问题时咨询专业律师，以免因不了解法律规定而遭受不必要的损失。
    需要注意的是，诉讼时效一般为三年，自权利人知道或者应当知道权利受到损害之日起计算。
    当事人也可以选择申请调解，调解的方式更加灵活，成本也相对较低。
    {t}的处理结果往往取决于证据是否充分。
    任何一方都不得擅自变更或者解除已经生效的协议。
    对于普通人来说，了解{t}的基本规定是非常有必要的。
    法律保护的是合法权益，任何违法行为都将受到相应的处罚。
    在签订协议之前，当事人应当仔细阅读各项条款，避免日后产生争议。
    一旦发生纠纷，当事人应当保持冷静，理性分析自己的处境。
    如果对方拒不履行生效判决，当事人可以向法院申请强制执行。
    律师可以帮助当事人梳理证据，制定合理的应对方案。
    很多纠纷其实可以通过友好协商的方式得到解决。
    相关部门也在不断完善监管制度，以更好地保护当事人的合法权益。
    从实践来看，{t}纠纷的数量呈逐年上升的趋势。
    当事人应当如实陈述事实，不得提供虚假证据。
    法律援助机构可以为经济困难的当事人提供免费的法律帮助。
    在整个过程中，沟通的方式和态度往往会直接影响最终的结果。
    了解相关法律法规，是维护自身权益的第一步。
    不同地区的具体规定可能存在差异，当事人应当以当地的规定为准。
    如果当事人对处理结果不服，可以在法定期限内提出上诉。
    书面协议比口头约定更有保障，发生争议时也更容易举证。
    {t}涉及的法律关系较为复杂，普通人往往难以准确把握。
    因此，及时寻求专业帮助显得尤为重要。
    在这一过程中，当事人需要准备身份证明、相关合同以及其他证明材料。
    法院受理案件后，一般会在立案之日起六个月内审结。
    适用简易程序审理的案件，审理期限相对较短。
    当事人还应当注意保护个人隐私，避免个人信息被泄露。
    对于情节严重的违法行为，相关人员还可能承担刑事责任。
    在维权过程中，当事人应当通过合法途径表达诉求。
    随着相关法律法规的不断完善，{t}问题的处理也越来越规范。
    许多当事人由于缺乏法律知识，在纠纷中处于不利地位。
    因此，提前了解{t}的相关规定，可以有效降低法律风险。
    当然，每个案件的具体情况不同，处理方式也会有所区别。
    如果证据不足，当事人的主张可能无法得到法院的支持。
    在必要的情况下，当事人可以申请财产保全，防止对方转移财产。
    当事人可以拨打12348法律服务热线进行咨询。
    很多人对{t}存在误解，认为只要不理会就能解决问题。
    事实上，逃避问题往往只会让情况变得更加糟糕。
    只有积极面对，才能找到最合适的解决办法。
""")
_LEADS = _lines("""
    一般来说
    通常情况下
    在司法实践中
    从法律角度来看
    需要注意的是
    值得一提的是
    对于{t}而言
    在这种情况下
    根据相关法律法规
    实践中
    与此同时
    此外
    另外
    因此
    具体而言
    在处理{t}问题时
    对于当事人来说
""")
_CLAUSES = _lines("""
    当事人应当及时与对方沟通，了解具体情况
    当事人需要准备好相关的证明材料
    法院会根据案件的具体情况作出判决
    双方可以通过协商的方式解决争议
    当事人应当注意保留相关证据
    当事人可以向相关部门反映情况
    及时咨询专业律师是比较稳妥的做法
    不同情况的处理方式存在较大差异
    当事人的合法权益受到法律的保护
    违约方应当承担相应的法律责任
    当事人不应采取过激的行为
    {t}的相关规定需要引起足够的重视
    处理{t}问题需要一定的时间和耐心
    具体的处理结果还要看双方的协商情况
    当事人应当了解自己享有的权利和承担的义务
    相关证据的收集和保存至关重要
    法律对此有明确的规定
    相关费用的计算标准也有所不同
""")
# A question opening a paragraph (never ending one, so the paragraph cannot read as a question heading).
_RHETORICAL = _lines("""
    那么，{t}到底应该如何处理呢?
    遇到这种情况，我们应该怎么办呢?
    很多人会问，{t}会不会产生严重的后果?
""")
_INTRO_OPENERS = _lines("""
    在现代社会中，{t}已经成为许多人关注的话题。
    近年来，随着社会经济的快速发展，{t}相关的问题日益突出。
    随着互联网的普及，越来越多的人开始关注{t}。
    {t}是很多人在生活中都可能遇到的问题。
    对于很多人来说，{t}是一个既熟悉又陌生的话题。
    在日常生活中，我们经常会听到有关{t}的讨论。
""")
_ASPECTS = _words("""
    基本概念 法律依据 处理流程 注意事项 常见问题 应对策略
    相关案例 法律后果 维权途径 办理条件
""")
_SUMMARIES = _lines("""
    {t}问题在生活中较为常见，当事人应当理性对待。
    通过以上的介绍，相信大家对{t}有了更深入的了解。
    总的来说，处理{t}问题既要了解法律规定，也要讲究方法。
    希望本文能够为遇到{t}问题的朋友提供一些帮助。
    如果您在处理{t}的过程中遇到困难，建议及时咨询专业律师。
    只有依法维权，才能最大限度地保护自己的合法权益。
    随着相关法律法规的不断完善，{t}问题的处理将更加规范。
""")
_LIST_ITEMS = _lines("""
    保持冷静，不要恐慌
    核实对方的身份
    保留好相关证据
    及时咨询专业律师
    准备身份证件
    整理相关合同和票据
    按时参加庭审
    了解自己的权利
    不要签署不明文件
    主动说明实际情况
""")
_AUTHORS = (
    ("合飞律师", 60),
    ("合飞小编", 10),
    ("法律小编", 8),
    ("律师团队", 5),
    ("张律师", 3),
    ("王律师", 3),
    ("李律师", 3),
    ("陈律师", 2),
    ("刘律师", 2),
    ("周律师", 1),
    ("", 2),
)
_CLOSINGS = ("总结", "总结", "结语", "结语", "结论", "小结", "总结:")

# (outer → inner schemes, weight).  Most follow the reader's rank order; the
# ("cn-dun", "step") articles nest steps under 一、 sections, which real
# articles do although 第一步 outranks 一、 in a fixed ranking.
_STYLES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("cn-dun", "num2"), 25),
    (("cn-dun",), 14),
    (("cn-dun", "cn-paren"), 6),
    (("cn-dun", "num"), 6),
    (("cn-dun", "cn-paren", "num"), 3),
    (("cn-dun", "num2", "num3"), 2),
    (("num", "num2", "num3"), 2),
    (("num",), 6),
    (("num", "num-paren"), 3),
    (("num", "num2"), 3),
    (("num2", "num3"), 1),
    (("chapter", "cn-dun"), 2),
    (("chapter", "jie"), 2),
    (("chapter", "num2"), 1),
    (("chapter",), 2),
    (("jie",), 1),
    (("jie", "num"), 1),
    (("step",), 3),
    (("cn-dun", "step"), 2),
    (("cn-paren", "num"), 2),
    (("cn-paren",), 1),
    (("num-paren",), 1),
    (("question",), 4),
    (("cn-dun", "question"), 3),
    (("num", "question"), 1),
    ((), 4),
)
_STYLE_LIST = tuple(s for s, _ in _STYLES)
_STYLE_CUM = tuple(itertools.accumulate(w for _, w in _STYLES))


# --------------------------------------------------------------------------- traditional characters
# Generated once with OpenCC (s2tw, the most frequent reading per character,
# a few fixed by hand) over every character of this module, and pasted here: a
# per-character table is crude but all the corpus needs, and keeps OpenCC out
# of the dependencies.  Rerun that when the vocabulary gains characters, or
# they stay simplified in "traditional" articles.
_S2T_SIMPLIFIED = (
    "万与专业东丢两严个临为举么义乐习书买争于产仅从们价众优伙会传伤体侦债偿储关兴养内册写农决况"
    "冻准减几凭划刘则刚创别办务动劳势区医华协单卖占厉压县参双发变后吓吗听启呗员周咨响嘱团围国图"
    "场声处备复够头学宁实审宽对寻导将尔尽属岁岗师带帮并广应开异张强归当录征径态总惯愿战户托执扫"
    "抚护报担拨择挂损据携数断无时显机杂权条来极构标栏树样档检楼残沟没泄济渐渗满灭灵点烂热状现电"
    "疗监盗着瞒码确礼离种积称税稳窃竞签简类系纠约级纳纷线组细终绍经结给络绝继续维综缓编缴网罚职"
    "联胁节苏范营虑虚虽衅补装见规视计订认讨让议讯记讲许论讼设访证评识诈诉试诚话询该详语误说请读"
    "谁调谅谓负财责败账质购贷费赁赃资赌赔赠赡赢趋践车轨转轻载较辆辖辞辩达迁过还这进违连适选遗邮"
    "采里鉴钱银链销长门问间阅队阶际陆陈险随隐难静页项顺须预题额风飞饰马驶驾骗骤齐"
)
_S2T_TRADITIONAL = (
    "萬與專業東丟兩嚴個臨為舉麼義樂習書買爭於產僅從們價眾優夥會傳傷體偵債償儲關興養內冊寫農決況"
    "凍準減幾憑劃劉則剛創別辦務動勞勢區醫華協單賣佔厲壓縣參雙發變後嚇嗎聽啟唄員週諮響囑團圍國圖"
    "場聲處備複夠頭學寧實審寬對尋導將爾儘屬歲崗師帶幫並廣應開異張強歸當錄徵徑態總慣願戰戶託執掃"
    "撫護報擔撥擇掛損據攜數斷無時顯機雜權條來極構標欄樹樣檔檢樓殘溝沒洩濟漸滲滿滅靈點爛熱狀現電"
    "療監盜著瞞碼確禮離種積稱稅穩竊競簽簡類係糾約級納紛線組細終紹經結給絡絕繼續維綜緩編繳網罰職"
    "聯脅節蘇範營慮虛雖釁補裝見規視計訂認討讓議訊記講許論訟設訪證評識詐訴試誠話詢該詳語誤說請讀"
    "誰調諒謂負財責敗賬質購貸費賃贓資賭賠贈贍贏趨踐車軌轉輕載較輛轄辭辯達遷過還這進違連適選遺郵"
    "採裡鑑錢銀鏈銷長門問間閱隊階際陸陳險隨隱難靜頁項順須預題額風飛飾馬駛駕騙驟齊"
)
_S2T = str.maketrans(_S2T_SIMPLIFIED, _S2T_TRADITIONAL)


def to_traditional(text: str) -> str:
    """Simplified → traditional, character by character (good enough for this vocabulary)."""
    return text.translate(_S2T)


# --------------------------------------------------------------------------- numbering

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(k: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1–99)."""
    if k < 10:
        return _CN_DIGITS[k]
    tens, ones = divmod(k, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


# --------------------------------------------------------------------------- the corpus plan


@dataclass(frozen=True, slots=True)
class _Plan:
    index: int
    id: int
    seed: int
    category: _Category
    crumbs: tuple[str, ...]
    topic: str
    title: str  # as the site shows it (traditional for traditional articles)
    traditional: bool
    body_only: bool
    days_ago: int


@dataclass(frozen=True)
class Sample:
    """One generated capture plus what the generator meant by it."""

    file_name: str
    text: str
    id: int
    title: str
    category: tuple[str, ...]
    topic: str
    traditional: bool  # the article's own text is traditional
    traditional_page: bool  # the whole page, chrome included, is traditional
    body_only: bool
    # (heading text, intended level, scheme): scheme is a name from
    # headings.SCHEMES, "question" or "closing".
    headings: tuple[tuple[str, int, str], ...]
    related: tuple[str, ...]  # related titles, in page order
    body_chars: int


class _Vocab:
    """Per-topic formatted vocabulary, built on first use (formatting once per topic, not per sentence)."""

    def __init__(self) -> None:
        self._cache: dict[str, dict[str, tuple[str, ...]]] = {}

    def get(self, topic: str, cat: _Category) -> dict[str, tuple[str, ...]]:
        words = self._cache.get(topic)
        if words is None:

            def fmt(items: Sequence[str]) -> tuple[str, ...]:
                return tuple(s.replace("{t}", topic) for s in items)

            words = {
                "mix": _sentence_table(
                    fmt(_GENERIC_SENTENCES + cat.sentences + cat.sentences),
                    fmt(_LEADS),
                    fmt(_CLAUSES + cat.clauses + cat.clauses),
                ),
                "tops": fmt(cat.tops + _GENERIC_TOPS),
                "subs": fmt(_SUBS + cat.org_subs),
                "aspects": fmt(_ASPECTS + cat.org_aspects),
                "steps": fmt(_STEPS),
                "questions": fmt(cat.questions + _GENERIC_QUESTIONS),
                "rhetorical": fmt(_RHETORICAL),
                "openers": fmt(_INTRO_OPENERS),
                "summaries": fmt(_SUMMARIES),
            }
            self._cache[topic] = words
        return words


def _sentence_table(sentences: Sequence[str], leads: Sequence[str], clauses: Sequence[str]) -> tuple[str, ...]:
    """Whole sentences and every lead × clause pairing, so one uniform draw gives either.

    About a third of the sentences are "lead, clause。" compositions; the whole
    sentences are repeated to keep that share.  One draw per sentence instead
    of three is most of what makes generation fast.
    """
    composed = [lead + "," + clause + "。" for lead in leads for clause in clauses]
    copies = max(1, round(len(composed) * 0.65 / 0.35 / len(sentences)))
    return tuple(composed) + tuple(sentences) * copies


class _Titles:
    """Each topic's possible titles in the order the site would use them.

    Related lists name articles by title, so titles must be unique, even once
    a traditional page converts them.  Drawing from a per-topic queue gives
    that without retries, and what a queue still holds after planning are
    titles of articles the corpus lacks: the dangling related links.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.queues: dict[str, list[str]] = {}  # next title last, for pop()
        self.used: set[str] = set()  # traditional forms

    def _queue(self, topic: str, cat: _Category) -> list[str]:
        queue = self.queues.get(topic)
        if queue is None:
            rng = self.rng
            singles = [t.replace("{t}", topic) for t in cat.titles]
            # The site likes "A,B" titles that say the same thing twice for search engines.
            pairs = [a.rstrip("?？") + "," + b for a in singles for b in singles if a != b]
            rng.shuffle(singles)
            rng.shuffle(pairs)
            order: list[str] = []
            while singles or pairs:
                source = singles if singles and (not pairs or rng.random() < 0.7) else pairs
                order.append(source.pop())
            queue = self.queues[topic] = order[::-1]
        return queue

    def take(self, topic: str, cat: _Category, traditional: bool) -> str:
        queue = self._queue(topic, cat)
        while queue:
            title = queue.pop()
            key = to_traditional(title)
            if key not in self.used:
                self.used.add(key)
                return key if traditional else title
        # A topic with more articles than titles (~900): number the rest.
        title = f"{_pick(self.rng, cat.titles).replace('{t}', topic)}({len(self.used)})"
        self.used.add(to_traditional(title))
        return to_traditional(title) if traditional else title

    def unused(self, rng: random.Random, topic: str, cat: _Category) -> str:
        """A title of this topic that no generated article has: the next few the site would write."""
        queue = self._queue(topic, cat)
        while queue:
            title = queue[-1 - int(rng.random() * min(len(queue), 30))]
            if to_traditional(title) not in self.used:
                return title
            queue.remove(title)
        return topic + "相关问题解答"


def _plan(n: int, seed: int) -> tuple[list[_Plan], _Titles]:
    rng = random.Random(seed)
    all_topics = [(t, c) for c in _CATEGORIES for t in c.topics]
    # More articles, more topics: a small corpus still spreads over ~50 topics
    # so every category shows up; a large one uses them all.
    k = min(len(all_topics), max(min(n, 50), n // 25))
    finance = [x for x in all_topics if x[1] is _CATEGORIES[0]]
    others = [x for x in all_topics if x[1] is not _CATEGORIES[0]]
    rng.shuffle(finance)
    rng.shuffle(others)
    # The site is mostly about debt: about half of the topics are finance ones.
    chosen = finance[: min(len(finance), (k + 1) // 2)]
    chosen += others[: k - len(chosen)]
    rng.shuffle(chosen)
    # Zipf-like: a few topics get many articles, most get a handful.
    cum = list(itertools.accumulate(1.0 / (r + 1) ** 0.7 for r in range(len(chosen))))

    ids: list[int] = []
    next_id = FIRST_ID + rng.randrange(0, 8000)
    for _ in range(n):
        ids.append(next_id)
        next_id += rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 7, 12))
    span = rng.randrange(300, 900)

    titles = _Titles(rng)
    plans: list[_Plan] = []
    for i in range(n):
        topic, cat = chosen[bisect.bisect_left(cum, rng.random() * cum[-1])]
        traditional = rng.random() < TRADITIONAL_SHARE
        title = titles.take(topic, cat, traditional)
        crumbs = (cat.name, rng.choice(cat.subs)) if rng.random() < 0.25 else (cat.name,)
        days = round(span * (n - 1 - i) / max(n - 1, 1)) + rng.randrange(0, 2)
        plans.append(
            _Plan(
                index=i,
                id=ids[i],
                seed=rng.getrandbits(64),
                category=cat,
                crumbs=crumbs,
                topic=topic,
                title=title,
                traditional=traditional,
                body_only=rng.random() < BODY_ONLY_SHARE,
                days_ago=days,
            )
        )
    return plans, titles


# --------------------------------------------------------------------------- article bodies

Line = tuple[str, int, str]  # (text, intended heading level or 0, scheme or "" for text)


def _pick(rng: random.Random, seq: Sequence[T]) -> T:
    # rng.choice costs several times more than this (it avoids a bias that is
    # irrelevant for sequences this short), and generation speed matters here.
    return seq[int(rng.random() * len(seq))]


_SENTENCE_COUNTS = (1, 2, 2, 2, 3, 3, 4)


def _paragraph(rng: random.Random, w: dict[str, tuple[str, ...]], size: int = 0) -> str:
    rand = rng.random
    mix = w["mix"]
    n = len(mix)
    count = size or _SENTENCE_COUNTS[int(rand() * 7)]
    paragraph = mix[int(rand() * n)]
    for _ in range(count - 1):
        paragraph += mix[int(rand() * n)]
    if rand() < 0.05:
        return w["rhetorical"][int(rand() * len(w["rhetorical"]))] + paragraph
    return paragraph


def _keyword(title: str) -> str:
    # Many of the site's bodies start by repeating the title's keyword (see the
    # seed's related excerpts: "国美金融无能力还贷 国美金融是一家…").  A trailing
    # question mark is dropped so the line stays a plain line.
    return title.split(",")[0].rstrip("?？")


_INTRO_KINDS = (("marker", 72), ("keyword+marker", 10), ("keyword", 8), ("plain", 5), ("numbered", 5))
_SUMMARY_KINDS = (("marker", 74), ("closing", 12), ("closing+marker", 6), ("none", 8))


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    x = rng.random() * sum(w for _, w in pairs)
    for value, weight in pairs:
        x -= weight
        if x < 0:
            return value
    return pairs[-1][0]


class _Numberer:
    """Heading labels for one article: each scheme's spelling is picked once and kept."""

    def __init__(self, rng: random.Random, cn_dun: str) -> None:
        self.rng = rng
        self.sep = {
            "cn-dun": cn_dun,
            "chapter": _pick(rng, (" ", ":", ":", "")),
            "jie": _pick(rng, (" ", ":", "")),
            "step": _pick(rng, (":", ":", " ", "")),
            "step-unit": _pick(rng, "步步步条点"),
            "cn-paren": _pick(rng, (("(", ")"), ("(", ")"), ("（", "）"))),
            "num": _pick(rng, (". ", ". ", "、", ".")),
            "num-paren": _pick(rng, (("(", ")"), ("（", "）"))),
        }

    def label(self, scheme: str, path: Sequence[int]) -> str:
        k = path[-1]
        s = self.sep
        if scheme == "chapter":
            return f"第{cn_number(k)}章{s['chapter']}"
        if scheme == "jie":
            return f"第{cn_number(k)}节{s['jie']}"
        if scheme == "step":
            return f"第{cn_number(k)}{s['step-unit']}{s['step']}"
        if scheme == "cn-dun":
            return f"{cn_number(k)}{s['cn-dun']}"
        if scheme == "cn-paren":
            return f"{s['cn-paren'][0]}{cn_number(k)}{s['cn-paren'][1]}"
        if scheme == "num":
            return f"{k}{s['num']}"
        if scheme == "num-paren":
            return f"{s['num-paren'][0]}{k}{s['num-paren'][1]}"
        if scheme == "num2":
            # 1.1 under 一、/1./第一章 reuses the parent's number, as the seed does.
            parent = path[-2] if len(path) >= 2 else 1
            return f"{parent}.{k} "
        if scheme == "num3":
            p1, p2 = (path[-3], path[-2]) if len(path) >= 3 else (1, path[-2] if len(path) >= 2 else 1)
            return f"{p1}.{p2}.{k} "
        return ""  # question headings carry no number


class _Picker:
    """Draws heading texts without repeats while the pool lasts."""

    def __init__(self, rng: random.Random, pool: Sequence[str]) -> None:
        self.rng = rng
        self.pool = pool
        self.left: list[str] = []

    def __call__(self) -> str:
        # Swap-and-pop from a lazily copied pool: most articles draw a few
        # headings from a pool of dozens, so shuffling it all would be waste.
        left = self.left
        if not left:
            left = self.left = list(self.pool)
        i = int(self.rng.random() * len(left))
        left[i], left[-1] = left[-1], left[i]
        return left.pop()


def _question(rng: random.Random, text: str) -> str:
    # The capture mostly has ASCII '?', sometimes the full-width one.
    return text if rng.random() < 0.8 else text[:-1] + "？"


class _Enough(Exception):
    """Raised inside :func:`_body` once a caller's character limit is reached."""


def _body(plan: _Plan, vocab: _Vocab, limit: int = 0) -> list[Line]:
    """The body lines (after the meta line), in simplified characters.

    With ``limit``, stop once that many characters are out: a related excerpt
    needs only the first ~150 characters of an article, and other articles
    take them from here without building the rest.  The lines before the stop
    are the same as the full article's because the random draws are.
    """
    rng = random.Random(plan.seed)
    w = vocab.get(plan.topic, plan.category)
    out: list[Line] = []
    size = 0

    def emit(text: str, level: int = 0, scheme: str = "") -> None:
        nonlocal size
        out.append((text, level, scheme))
        if limit:
            size += len(text) + 1
            if size > limit:
                raise _Enough

    def emit_text(paragraphs: list[str]) -> None:
        # One call per run of paragraphs: per-paragraph calls were a tenth of the time.
        nonlocal size
        out.extend([(p, 0, "") for p in paragraphs])
        if limit:
            size += sum(len(p) + 1 for p in paragraphs)
            if size > limit:
                raise _Enough

    try:
        _fill(rng, plan, w, emit, emit_text)
    except _Enough:
        pass
    return out


def _fill(
    rng: random.Random,
    plan: _Plan,
    w: dict[str, tuple[str, ...]],
    emit: Callable[..., None],
    emit_text: Callable[[list[str]], None],
) -> None:
    target = min(18500, max(380, round(rng.lognormvariate(math.log(2500), 0.62))))
    style = _STYLE_LIST[bisect.bisect_left(_STYLE_CUM, rng.random() * _STYLE_CUM[-1])]
    if target < 700 and rng.random() < 0.5:
        style = ()
    intro = _weighted(rng, _INTRO_KINDS)
    if intro == "numbered" and (not style or style[0] != "cn-dun"):
        intro = "marker"
    summary = _weighted(rng, _SUMMARY_KINDS)
    # The intro comes before the structural draws: a related excerpt needs
    # only the intro, and stops before paying for the rest.
    cn_dun = "、" if rng.random() < 0.93 else "."

    def cn_dun_label(k: int) -> str:
        return cn_number(k) + cn_dun

    if intro in ("keyword", "keyword+marker"):
        emit(_keyword(plan.title))
    first_top = 1
    if intro in ("marker", "keyword+marker"):
        emit("小编导语")
    elif intro == "numbered":
        emit(cn_dun_label(1) + "小编导语", 1, "cn-dun")
        first_top = 2
    opener = _pick(rng, w["openers"])
    a, b, c = rng.sample(w["aspects"], 3)
    outline = f"{_pick(rng, ('本站', '本站', '本文'))}将从{plan.topic}的{a}、{b}以及{c}等方面进行详细探讨。"
    emit(opener + _paragraph(rng, w, 2) + outline)
    if target > 4000 and rng.random() < 0.5:
        emit(_paragraph(rng, w))

    numberer = _Numberer(rng, cn_dun)

    # Size the section tree to the target length.  The tree's shape is drawn
    # first so each leaf section can be given its share of the characters.
    body_chars = max(150, target - 450)  # intro and summary take ~450
    depth = len(style)
    leaf_chars = rng.uniform(180, 520)
    while depth > 1 and body_chars / (leaf_chars * 3 ** (depth - 1)) < 1.5:
        depth -= 1
    style = style[:depth]
    widest = 15 if depth == 1 else 10
    tops = max(2, min(widest, round(body_chars / (leaf_chars * 3 ** max(depth - 1, 0))))) if depth else 0

    def shape(level: int) -> list:
        return [] if level >= depth else [shape(level + 1) for _ in range(2 + int(rng.random() * 3))]

    tree = [shape(1) for _ in range(tops)]
    leaf_chars = body_chars / max(1, _leaves(tree))

    tops_pick = _Picker(rng, w["tops"])
    subs_pick = _Picker(rng, w["subs"])
    steps_pick = _Picker(rng, w["steps"])
    questions_pick = _Picker(rng, w["questions"])

    def heading_text(scheme: str) -> str:
        if scheme == "question":
            return _question(rng, questions_pick())
        if scheme == "step":
            return steps_pick()
        if scheme in ("num2", "num3", "cn-paren", "num-paren") or (scheme == "num" and style[0] != "num"):
            return subs_pick()
        return tops_pick()

    spent = 0

    mix = w["mix"]
    mix_n = len(mix)
    rhetorical = w["rhetorical"]
    rand = rng.random

    def text(chars: float) -> None:
        # _paragraph inlined: this loop makes most of the corpus, and the call
        # overhead was a fifth of the generation time.
        nonlocal spent
        # Leaves vary in size, but the article as a whole keeps near its target.
        budget = min(chars * (0.6 + 0.8 * rand()), body_chars * 1.1 - spent)
        paragraphs = []
        while True:
            count = _SENTENCE_COUNTS[int(rand() * 7)]
            paragraph = mix[int(rand() * mix_n)]
            for _ in range(count - 1):
                paragraph += mix[int(rand() * mix_n)]
            if rand() < 0.05:
                paragraph = rhetorical[int(rand() * len(rhetorical))] + paragraph
            paragraphs.append(paragraph)
            budget -= len(paragraph)
            spent += len(paragraph)
            if budget <= 0:
                break
        emit_text(paragraphs)

    def leaf() -> None:
        text(leaf_chars)
        if rng.random() < 0.12:
            # Numbered list items that end in punctuation: text, not headings.
            items = rng.sample(_LIST_ITEMS, rng.randint(2, 4))
            paren = rng.random() < 0.5
            for k, item in enumerate(items, 1):
                end = "。" if k == len(items) else _pick(rng, ("。", ";"))
                emit(f"({k}){item}{end}" if paren else f"{k}. {item}{end}")

    def section(node: list, level: int, path: tuple[int, ...]) -> None:
        scheme = style[level - 1]
        emit(numberer.label(scheme, path) + heading_text(scheme), level, scheme)
        if not node:
            leaf()
            return
        if rng.random() < 0.3:
            # Parents often say a word before their first child (in the seed
            # they do not).
            text(0)
        for k, child in enumerate(node, 1):
            section(child, level + 1, (*path, k))

    if depth:
        for k, node in enumerate(tree, first_top):
            section(node, 1, (k,))
    else:
        text(body_chars)

    if summary in ("closing", "closing+marker"):
        emit(_pick(rng, _CLOSINGS), 1, "closing")
        emit(_paragraph(rng, w))
    if intro == "numbered" and summary == "marker" and rng.random() < 0.7:
        emit(numberer.label("cn-dun", (first_top + tops,)) + "小编总结", 1, "cn-dun")
        emit(_summary(rng, w))
    elif summary in ("marker", "closing+marker"):
        emit("小编总结")
        emit(_summary(rng, w))


def _leaves(tree: list) -> int:
    return sum(_leaves(node) if node else 1 for node in tree)


def _summary(rng: random.Random, w: dict[str, tuple[str, ...]]) -> str:
    picked = rng.sample(w["summaries"], rng.randint(2, 4))
    return "".join(picked)


# --------------------------------------------------------------------------- pages


def _excerpt(plan: _Plan, vocab: _Vocab) -> str:
    """What other pages show under this article's title: its first ~140 characters, cut mid-sentence."""
    # The site cuts at a fixed length per article; vary it a little across
    # articles without seeding another Random.
    cut = 128 + (plan.seed >> 11) % 18
    text = " ".join(t for t, _, _ in _body(plan, vocab, limit=cut))[:cut].rstrip()
    if plan.traditional:
        text = to_traditional(text)
    return text + "..."


def _draw(rng: random.Random, pool: Sequence[int], need: int, taken: set[int]) -> list[int]:
    """Up to ``need`` members of ``pool`` not in ``taken`` (which is updated), without scanning a big pool."""
    if need <= 0:
        return []
    if len(pool) <= 4 * (need + len(taken)):
        free = [i for i in pool if i not in taken]
        got = rng.sample(free, min(need, len(free)))
    else:
        got = []
        while len(got) < need:
            i = pool[rng.randrange(len(pool))]
            if i not in taken and i not in got:
                got.append(i)
    taken.update(got)
    return got


def _age(days: int, hours: int) -> tuple[str, str]:
    day = CAPTURE_DAY - dt.timedelta(days=days)
    if days == 0:
        age = f"{hours}小时前" if hours else "刚刚"
    elif days < 7:
        age = f"{days}天前"
    elif days < 30:
        age = f"{days // 7}周前"
    elif days < 365:
        age = f"{days // 30}个月前"
    else:
        age = f"{days // 365}年前"
    return age, f"{day.month:02d}-{day.day:02d}"


class _Corpus:
    def __init__(self, n: int, seed: int) -> None:
        self.plans, self.titles = _plan(n, seed)
        self.vocab = _Vocab()
        self.by_topic: dict[str, list[int]] = {}
        self.by_category: dict[str, list[int]] = {}
        for p in self.plans:
            self.by_topic.setdefault(p.topic, []).append(p.index)
            self.by_category.setdefault(p.category.name, []).append(p.index)
        self._excerpts: dict[int, str] = {}
        self._ghosts: dict[str, str] = {}

    def excerpt(self, index: int) -> str:
        text = self._excerpts.get(index)
        if text is None:
            text = self._excerpts[index] = _excerpt(self.plans[index], self.vocab)
        return text

    def related(self, rng: random.Random, plan: _Plan) -> list[tuple[str, str]]:
        count = rng.randint(4, 8)
        outside = sum(rng.random() < OUTSIDE_RELATED_SHARE for _ in range(count))
        picks: list[int] = []
        taken = {plan.index}
        # The site relates by keyword, so same-topic articles come first.
        for pool in (self.by_topic[plan.topic], self.by_category[plan.category.name]):
            picks += _draw(rng, pool, count - outside - len(picks), taken)
        items = [(self.plans[i].title, self.excerpt(i)) for i in picks]
        while len(items) < count:
            items.append(self._outside(rng, plan))
        rng.shuffle(items)
        return items

    def _outside(self, rng: random.Random, plan: _Plan) -> tuple[str, str]:
        # An article of the site that this corpus does not contain: the
        # relation must stay dangling until it is imported.  The same outside
        # title recurs on several pages, with the same excerpt each time.
        title = self.titles.unused(rng, plan.topic, plan.category)
        seed = rng.getrandbits(64)  # drawn even when cached: this page must not depend on earlier ones
        excerpt = self._ghosts.get(title)
        if excerpt is not None:
            return title, excerpt
        ghost = _Plan(
            index=-1,
            id=0,
            seed=seed,
            category=plan.category,
            crumbs=plan.crumbs,
            topic=plan.topic,
            title=title,
            traditional=False,
            body_only=False,
            days_ago=0,
        )
        excerpt = self._ghosts[title] = _excerpt(ghost, self.vocab)
        return title, excerpt

    def sample(self, plan: _Plan) -> Sample:
        rng = random.Random(plan.seed ^ 0x9E3779B97F4A7C15)
        body = _body(plan, self.vocab)
        body_text = "\n\n".join([t for t, _, _ in body])
        headings = [(t, lvl, s) for t, lvl, s in body if s]
        title = plan.title
        if plan.traditional:
            body_text = to_traditional(body_text)
            headings = [(to_traditional(t), lvl, s) for t, lvl, s in headings]
        traditional_page = plan.traditional and not plan.body_only and rng.random() < 0.5
        related: list[tuple[str, str]] = []
        if plan.body_only:
            text = title + "\n\n" + body_text
        else:
            leaf = plan.crumbs[-1]
            age, date = _age(plan.days_ago, rng.randrange(0, 24))
            views = min(99999, int(rng.lognormvariate(math.log(30), 1.4)))
            author = _weighted(rng, _AUTHORS)
            related = self.related(rng, plan)
            parts = [
                "当前位置:首页 > " + " > ".join(plan.crumbs) + " > 正文内容",
                title,
                f"{author}{age} ({date}){leaf}{views}",
                body_text,
                CHROME,
                COPYRIGHT,
                f"本文链接:{SITE}{plan.id}.html",
                f"{title}的相关文章",
            ]
            for rel_title, rel_excerpt in related:
                parts += (rel_title, rel_excerpt)
            text = "\n\n".join(parts)
            if traditional_page:
                text = to_traditional(text)
                related = [(to_traditional(t), e) for t, e in related]
        # The seed ends without a newline; many saved files end with one.
        if rng.random() < 0.5:
            text += "\n"
        return Sample(
            file_name=f"{plan.id}.txt",
            text=text,
            id=plan.id,
            title=title,
            category=plan.crumbs,
            topic=plan.topic,
            traditional=plan.traditional,
            traditional_page=traditional_page,
            body_only=plan.body_only,
            headings=tuple(headings),
            related=tuple(t for t, _ in related),
            body_chars=len(body_text),
        )


# --------------------------------------------------------------------------- public API


def samples(n: int, seed: int = 0) -> Iterator[Sample]:
    """Generate ``n`` captures with what the generator intended, in id order, lazily."""
    if n <= 0:
        return
    corpus = _Corpus(n, seed)
    for plan in corpus.plans:
        yield corpus.sample(plan)


def generate(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``(file_name, capture_text)`` for ``n`` synthetic articles; same ``(n, seed)``, same bytes."""
    for s in samples(n, seed):
        yield s.file_name, s.text


def write(n: int, out: Path, seed: int = 0, progress: bool = False) -> list[Path]:
    """Write ``n`` captures as UTF-8 ``<id>.txt`` files under ``out`` (created if missing)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    items: Iterator[tuple[str, str]] = generate(n, seed)
    if progress:
        from tqdm import tqdm

        items = tqdm(items, total=n, unit="article", desc="sample")
    paths: list[Path] = []
    for name, text in items:
        path = out / name
        # Bytes, not write_text: no platform newline translation.
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def main(argv: list[str] | None = None) -> int:
    """``python -m book sample --articles N --out DIR [--seed S] [--progress]``."""
    parser = argparse.ArgumentParser(
        prog="python -m book sample",
        description="Write a synthetic corpus of text captures (for benchmarks and tests).",
    )
    parser.add_argument("--articles", type=_positive, required=True, metavar="N", help="how many articles")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write <id>.txt")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="corpus seed (default 0)")
    parser.add_argument("--progress", action="store_true", help="show a progress bar")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        paths = write(args.articles, args.out, seed=args.seed, progress=args.progress)
    except OSError as exc:
        print(f"sample: cannot write to {args.out}: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - start
    size = sum(p.stat().st_size for p in paths)
    rate = len(paths) / elapsed if elapsed else float("inf")
    print(
        f"wrote {len(paths)} articles ({size / 1e6:.1f} MB) to {args.out} "
        f"in {elapsed:.2f}s ({rate:,.0f} articles/s, seed {args.seed})"
    )
    return 0
