<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ActivityGuestPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="46"/>
        <source>来宾登记</source>
        <translation>Guest sign-in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="51"/>
        <source>姓名（必填）</source>
        <translation>Name (required)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="52"/>
        <source>单位（选填）</source>
        <translation>Unit (optional)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="53"/>
        <source>手机尾号 4 位（选填）</source>
        <translation>Last 4 phone digits (optional)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="61"/>
        <source>类别（必选）</source>
        <translation>Category (required)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="76"/>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="162"/>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="183"/>
        <source>确认签到</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="124"/>
        <source>请填写姓名</source>
        <translation>Please enter the name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="127"/>
        <source>请选择类别</source>
        <translation>Please choose a category</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="129"/>
        <source>手机尾号要 4 位数字，也可以不填</source>
        <translation>The phone digits are 4 digits, or leave them empty</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_guest.py" line="134"/>
        <source>正在签到…</source>
        <translation>Signing in…</translation>
    </message>
</context>
<context>
    <name>ActivityMessages</name>
    <message>
        <location filename="../../kiosk/core/messages.py" line="93"/>
        <source>{who}，已签到【{title}】</source>
        <translation>{who}, signed in to “{title}”</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="94"/>
        <source>{who}，您已签到【{title}】</source>
        <translation>{who}, you are signed in to “{title}”</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="95"/>
        <source>{who}，已签退【{title}】，辛苦了！</source>
        <translation>{who}, signed out of “{title}” — thank you!</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="96"/>
        <source>【{title}】{time} 开始签到，请稍候</source>
        <translation>Sign-in to “{title}” opens at {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="97"/>
        <source>【{title}】签到已结束</source>
        <translation>Sign-in to “{title}” has closed</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="98"/>
        <source>这张工牌暂时无法核验，请到管理员处按姓名签到</source>
        <translation>This badge cannot be verified yet; ask the keeper to sign you in by name</translation>
    </message>
</context>
<context>
    <name>ActivitySignInPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/activity_signin.py" line="34"/>
        <source>活动签到</source>
        <translation>Activity sign-in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_signin.py" line="45"/>
        <source>输入姓名，或拼音首字母（张建国 → ZJG）</source>
        <translation>Type a name or its pinyin initials (张建国 → ZJG)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_signin.py" line="47"/>
        <source>来宾登记</source>
        <translation>Guest sign-in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_signin.py" line="72"/>
        <source>正在查找活动…</source>
        <translation>Looking for the activity…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_signin.py" line="95"/>
        <source>找到名字后点一下就签到；不在名单上的请点“来宾登记”</source>
        <translation>Tap the name to sign in; not on the list? Tap “Guest sign-in”</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_signin.py" line="97"/>
        <source>没有找到，请换个写法，或点“来宾登记”</source>
        <translation>Not found: try another spelling, or tap “Guest sign-in”</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/activity_signin.py" line="99"/>
        <source>点名字签到（已签到的再点一次是签退）</source>
        <translation>Tap a name to sign in (again to sign out)</translation>
    </message>
</context>
<context>
    <name>ActivityText</name>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activities.py" line="34"/>
        <source>今天</source>
        <translation>today</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activities.py" line="36"/>
        <source>{m}月{d}日</source>
        <translation>{m}/{d}</translation>
    </message>
</context>
<context>
    <name>Camera</name>
    <message>
        <location filename="../../kiosk/ui/launch.py" line="216"/>
        <source>摄像头暂不可用，可用扫码枪或“没带工牌”签到</source>
        <translation>Camera unavailable — use the scanner or “No badge”</translation>
    </message>
</context>
<context>
    <name>GreetingPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/greeting.py" line="56"/>
        <source>★ 共产党员</source>
        <translation>★ Party member</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/greeting.py" line="67"/>
        <source>没带工牌？点这里签到</source>
        <translation>No badge? Check in here</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/greeting.py" line="69"/>
        <source>好的</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/greeting.py" line="116"/>
        <source>本月第 {n} 次到站</source>
        <translation>Visit no. {n} this month</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/greeting.py" line="117"/>
        <location filename="../../kiosk/ui/screens/greeting.py" line="119"/>
        <source>签到时间 {time}</source>
        <translation>Checked in at {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/greeting.py" line="121"/>
        <source>签到 {start} · 签退 {end}</source>
        <translation>In {start} · Out {end}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/greeting.py" line="125"/>
        <source>也可以点“没带工牌”，按工种或姓名签到</source>
        <translation>You can also tap “No badge” and check in by trade or name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/greeting.py" line="127"/>
        <source>工牌来自其他驿站，已为您登记</source>
        <translation>Badge from another station — you are checked in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/greeting.py" line="129"/>
        <source>已为您登记，好好歇一歇</source>
        <translation>You are checked in — have a good rest</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../../kiosk/ui/screens/home.py" line="17"/>
        <source>请选择服务</source>
        <translation>Choose a service</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/home.py" line="19"/>
        <source>‹ 欢迎页</source>
        <translation>‹ Welcome</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/home.py" line="23"/>
        <source>签到 / 签退</source>
        <translation>Check in / out</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/home.py" line="24"/>
        <source>没带工牌</source>
        <translation>No badge</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/home.py" line="25"/>
        <source>讲习所</source>
        <translation>Study corner</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/home.py" line="26"/>
        <source>活动签到</source>
        <translation>Activity sign-in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/home.py" line="27"/>
        <source>驿站服务</source>
        <translation>Station services</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/home.py" line="28"/>
        <source>管理</source>
        <translation>Admin</translation>
    </message>
</context>
<context>
    <name>KeeperActivitiesPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activities.py" line="51"/>
        <source>活动</source>
        <translation>Activities</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activities.py" line="54"/>
        <source>＋ 新建活动</source>
        <translation>+ New activity</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activities.py" line="61"/>
        <source>还没有活动。点“新建活动”，或由区里统一安排</source>
        <translation>No activities yet. Tap “New activity”, or the district schedules one</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activities.py" line="83"/>
        <source>有 {n} 条活动记录还没上传，联网后自动上传</source>
        <translation>{n} activity records not uploaded yet; they go when the network is back</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activities.py" line="85"/>
        <source>活动记录已全部上传</source>
        <translation>All activity records uploaded</translation>
    </message>
</context>
<context>
    <name>KeeperActivityNewPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="39"/>
        <source>新建活动</source>
        <translation>New activity</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="44"/>
        <source>活动名称（必填），如：安全生产宣讲</source>
        <translation>Title (required), e.g. Work safety talk</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="49"/>
        <source>主办单位（选填）</source>
        <translation>Host unit (optional)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="58"/>
        <source>现在开始</source>
        <translation>Start now</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="59"/>
        <source>{h}后</source>
        <translation>in {h}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="63"/>
        <source>计志愿服务时长</source>
        <translation>Counts service hours</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="73"/>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="150"/>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="158"/>
        <source>创建活动</source>
        <translation>Create</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="83"/>
        <source>名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="84"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="85"/>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="86"/>
        <source>时长</source>
        <translation>Length</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="87"/>
        <source>主办</source>
        <translation>Host</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="129"/>
        <source>请填写活动名称</source>
        <translation>Please enter the title</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="134"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="180"/>
        <source>{m}分钟</source>
        <translation>{m} min</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity_new.py" line="182"/>
        <source>{h}小时</source>
        <translation>{h} h</translation>
    </message>
</context>
<context>
    <name>KeeperActivityPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="54"/>
        <source>活动详情</source>
        <translation>Activity</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="69"/>
        <source>现在开始</source>
        <translation>Start now</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="70"/>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="247"/>
        <source>结束活动</source>
        <translation>End</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="71"/>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="248"/>
        <source>取消活动</source>
        <translation>Cancel activity</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="72"/>
        <source>签到表存U盘</source>
        <translation>Sheet to USB</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="73"/>
        <source>打印签到表</source>
        <translation>Print sheet</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="132"/>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="133"/>
        <source>本站</source>
        <translation>this station</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="134"/>
        <source>计志愿服务时长</source>
        <translation>service hours</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="134"/>
        <source>不计时长</source>
        <translation>no hours</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="136"/>
        <source>{kind} · {when} · 地点：{place} · 主办：{host} · {hours} · {state}</source>
        <translation>{kind} · {when} · at {place} · host {host} · {hours} · {state}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="152"/>
        <source>未分类 {n}</source>
        <translation>uncategorised {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="154"/>
        <source>共 {n} 人次 · 在场 {inside} 人</source>
        <translation>{n} attendances · {inside} present</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="177"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="178"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="179"/>
        <source>签到</source>
        <translation>In</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="180"/>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="196"/>
        <source>签退</source>
        <translation>Out</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="181"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="185"/>
        <source>（未登记姓名）</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="187"/>
        <source>（来宾）</source>
        <translation> (guest)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="206"/>
        <source>还没有人签到</source>
        <translation>Nobody has signed in yet</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="226"/>
        <source>再点一次确认</source>
        <translation>Tap again to confirm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="228"/>
        <source>结束后，还没签退的人一起签退</source>
        <translation>Ending signs out everyone still in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="230"/>
        <source>取消后不能恢复</source>
        <translation>A cancellation cannot be undone</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="236"/>
        <source>没有找到U盘，请插好后再点</source>
        <translation>No USB stick found: plug one in and tap again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_activity.py" line="243"/>
        <source>正在处理…</source>
        <translation>Working…</translation>
    </message>
</context>
<context>
    <name>KeeperDevicePage</name>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_device.py" line="24"/>
        <source>设备状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_device.py" line="28"/>
        <source>刷新</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeeperExportPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_export.py" line="47"/>
        <source>导出到U盘</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_export.py" line="54"/>
        <source>导出当月的到站、学习和测验记录（Excel 表格和 CSV 文件）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_export.py" line="59"/>
        <source>本月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_export.py" line="59"/>
        <source>上月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_export.py" line="72"/>
        <source>没有找到U盘。请插入U盘，再点“重新查找”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_export.py" line="73"/>
        <source>重新查找</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_export.py" line="94"/>
        <source>{y}年{m}月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_export.py" line="104"/>
        <source>写入U盘：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_export.py" line="118"/>
        <source>正在写入，请不要拔出U盘…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_export.py" line="129"/>
        <source>已写入 {n} 个文件，可以拔出U盘了</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeeperMenuPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_menu.py" line="19"/>
        <source>管理 · 站长工作</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_menu.py" line="22"/>
        <source>在站人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_menu.py" line="23"/>
        <source>统计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_menu.py" line="24"/>
        <source>活动</source>
        <translation>Activities</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_menu.py" line="25"/>
        <source>导出到U盘</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_menu.py" line="26"/>
        <source>设备状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_menu.py" line="27"/>
        <source>修改管理密码</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeeperMessages</name>
    <message>
        <location filename="../../kiosk/core/export.py" line="41"/>
        <source>U盘空间不足，请换一个U盘或删掉一些文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/export.py" line="44"/>
        <source>U盘是只读的，无法写入（请检查U盘侧面的写保护开关）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/export.py" line="47"/>
        <source>U盘已拔出，没有写完，请重新插入再导出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/export.py" line="50"/>
        <source>导出失败，U盘上没有留下文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="43"/>
        <source>摄像头</source>
        <translation type="unfinished">Camera</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="44"/>
        <source>磁盘剩余</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="45"/>
        <source>数据库大小</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="46"/>
        <source>时钟</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="47"/>
        <source>待同步事件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="48"/>
        <source>程序版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="49"/>
        <source>已运行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="52"/>
        <source>正常</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="53"/>
        <source>未连接</source>
        <translation type="unfinished">Not connected</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="54"/>
        <source>与中心相差 {seconds} 秒</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="55"/>
        <source>未与中心对时</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="56"/>
        <source>未接入中心</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="57"/>
        <source>{n} 条</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/core/device_status.py" line="58"/>
        <source>{hours} 小时 {minutes} 分</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeeperPinPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_pin.py" line="25"/>
        <source>修改管理密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_pin.py" line="29"/>
        <source>请输入原密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_pin.py" line="30"/>
        <source>请输入新密码（4 到 12 位数字）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_pin.py" line="31"/>
        <source>请再输入一次新密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_pin.py" line="43"/>
        <source>退格</source>
        <translation type="unfinished">Delete</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_pin.py" line="45"/>
        <location filename="../../kiosk/ui/screens/keeper_pin.py" line="101"/>
        <source>下一步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_pin.py" line="96"/>
        <source>密码已修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_pin.py" line="101"/>
        <source>确定</source>
        <translation type="unfinished">OK</translation>
    </message>
</context>
<context>
    <name>KeeperPresentPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="48"/>
        <source>在站人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="62"/>
        <source>现在没有人在站</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="65"/>
        <source>签退</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="67"/>
        <source>全部签退</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="76"/>
        <source>确定全部签退</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="78"/>
        <source>取消</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="104"/>
        <source>在站 {n} 人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="110"/>
        <source>（未核验工牌）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="112"/>
        <source>{name}&#x3000;{detail}&#x3000;{time} 签到</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="132"/>
        <source>未核验工牌</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="133"/>
        <source>签退 {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="135"/>
        <source>签退（先点选一人）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_present.py" line="146"/>
        <source>将把在站的 {n} 人全部签退，记为站长关闭。确定吗？</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeeperStatsPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="46"/>
        <source>统计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="55"/>
        <source>今天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="55"/>
        <source>本周</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="55"/>
        <source>本月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="87"/>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="176"/>
        <source>人次</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="88"/>
        <source>人数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="89"/>
        <source>休息小时</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="90"/>
        <source>学习小时</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="91"/>
        <source>测验通过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="149"/>
        <source>{y}年{m}月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="173"/>
        <source>按工种：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="173"/>
        <source>无</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="191"/>
        <source>每天人次（{first} 至 {last}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/keeper_stats.py" line="195"/>
        <source>每天人次</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../kiosk/ui/window.py" line="88"/>
        <source>驿站终端</source>
        <translation>Station Kiosk</translation>
    </message>
    <message>
        <source>错误次数太多，请稍后再试</source>
        <translation type="vanished">Too many attempts, try again later</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="315"/>
        <source>错误次数太多，请 {m} 分钟后再试</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="317"/>
        <source>密码不对，请再试一次</source>
        <translation>Wrong PIN, please try again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/window.py" line="339"/>
        <source>终端暂时无法签到，请联系站长</source>
        <translation>Check-in is unavailable right now; please call the keeper</translation>
    </message>
</context>
<context>
    <name>MaterialCard</name>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="119"/>
        <source>{n} 道题</source>
        <translation>Questions: {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="121"/>
        <source>新 · </source>
        <translation>New · </translation>
    </message>
</context>
<context>
    <name>MyStudyPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="207"/>
        <location filename="../../kiosk/ui/screens/study.py" line="231"/>
        <location filename="../../kiosk/ui/screens/study.py" line="236"/>
        <source>我的学习</source>
        <translation>My learning</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="232"/>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="236"/>
        <source>{name}的学习</source>
        <translation>{name}&apos;s learning</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="238"/>
        <source>积分 {n}</source>
        <translation>Points: {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="239"/>
        <source>今天得了 {n} 分</source>
        <translation>Points today: {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="241"/>
        <source>；有 {n} 道答错的题，下次答题会先出</source>
        <translation>; missed questions: {n}, asked first next time</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="249"/>
        <source>新上架的，还没读过</source>
        <translation>New — not read yet</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="255"/>
        <source>学过的</source>
        <translation>Already read</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="257"/>
        <source>还没有学过，去讲习所挑一篇看看吧</source>
        <translation>Nothing yet — pick something to read in the Study corner</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="260"/>
        <source>读完了</source>
        <translation>Finished</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="260"/>
        <source>没读完</source>
        <translation>Not finished</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="262"/>
        <source>，最好 {n} 分</source>
        <translation>, best score {n}</translation>
    </message>
</context>
<context>
    <name>PhonePad</name>
    <message>
        <location filename="../../kiosk/ui/screens/admin_phone.py" line="38"/>
        <source>站长电话</source>
        <translation>Keeper&apos;s phone</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_phone.py" line="44"/>
        <source>退格</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_phone.py" line="45"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_phone.py" line="46"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_phone.py" line="47"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_phone.py" line="77"/>
        <source>（未设置）</source>
        <translation>(not set)</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/admin.py" line="34"/>
        <source>管理</source>
        <translation>Admin</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin.py" line="36"/>
        <source>请输入管理密码</source>
        <translation>Enter the admin PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin.py" line="46"/>
        <source>退格</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin.py" line="49"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>QuizPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="43"/>
        <source>答题</source>
        <translation>Quiz</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="57"/>
        <source>选好了</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="61"/>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="189"/>
        <source>下一题 ›</source>
        <translation>Next question ›</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="70"/>
        <source>再读一遍</source>
        <translation>Read again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="74"/>
        <source>回讲习所</source>
        <translation>Back to Study corner</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="107"/>
        <source>答题：{title}</source>
        <translation>Quiz: {title}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="119"/>
        <source>第 {n} 题，共 {total} 题</source>
        <translation>Question {n} of {total}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="121"/>
        <source>&#x3000;· 上次答错的题</source>
        <translation> · Missed last time</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="123"/>
        <source>&#x3000;· 多选</source>
        <translation> · Choose all that apply</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="182"/>
        <source>答对了！</source>
        <translation>Correct! </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="184"/>
        <source>答错了，正确答案是 {letters}。</source>
        <translation>Not quite — the answer is {letters}. </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="189"/>
        <source>看成绩</source>
        <translation>See my score</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="212"/>
        <source>答对 {correct} 题，共 {total} 题
{score} 分</source>
        <translation>{correct} of {total} correct
Score: {score}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="216"/>
        <source>正在保存成绩…</source>
        <translation>Saving your score…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="223"/>
        <source>还差一点，再读一遍，下次答错的题会先出。</source>
        <translation>Almost there! Read it again — the questions you missed will come first next time.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="225"/>
        <source>及格了！得了 {n} 积分。</source>
        <translation>Passed! Points earned: {n}.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="227"/>
        <source>及格了！扫工牌后再答题，就能攒积分。</source>
        <translation>Passed! Scan your badge before the quiz to collect points.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="229"/>
        <source>及格了！这篇的积分之前已经得过了。</source>
        <translation>Passed! You already got the points for this one.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_quiz.py" line="231"/>
        <source>及格了！今天的积分已经攒满，明天再来。</source>
        <translation>Passed! You&apos;ve reached today&apos;s points limit — come back tomorrow.</translation>
    </message>
</context>
<context>
    <name>ReaderPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="190"/>
        <source>字小</source>
        <translation>Smaller text</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="191"/>
        <source>字大</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="192"/>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="368"/>
        <source>朗读</source>
        <translation>Read aloud</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="193"/>
        <source>播放</source>
        <translation>Play</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="194"/>
        <source>‹ 上一页</source>
        <translation>‹ Previous</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="195"/>
        <source>下一页 ›</source>
        <translation>Next ›</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="196"/>
        <source>去答题</source>
        <translation>Take the quiz</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="282"/>
        <source>这份学习材料现在打不开（可能刚刚撤下了），请返回看看别的</source>
        <translation>This material can&apos;t be opened right now (it may have just been withdrawn). Please go back and choose another.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="419"/>
        <source>视频暂时放不了，请先看文字</source>
        <translation>The video can&apos;t play right now. Please read the text.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="421"/>
        <source>音频暂时放不了，请先看文字</source>
        <translation>The audio can&apos;t play right now. Please read the text.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="425"/>
        <source>看视频</source>
        <translation>Watch video</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="425"/>
        <source>听音频</source>
        <translation>Listen</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="355"/>
        <source>停止朗读</source>
        <translation>Stop reading</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study_reader.py" line="408"/>
        <source>停止播放</source>
        <translation>Stop</translation>
    </message>
</context>
<context>
    <name>ScanMessages</name>
    <message>
        <location filename="../../kiosk/core/messages.py" line="26"/>
        <source>这不是驿站工牌，请出示工牌上的二维码</source>
        <translation>This is not a station badge — show the QR code on your badge</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="29"/>
        <source>工牌无法识别，请找站长补办工牌</source>
        <translation>Badge unreadable — ask the keeper for a new one</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="30"/>
        <source>工牌校验未通过，请找站长核实</source>
        <translation>Badge check failed — please see the keeper</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="31"/>
        <source>工牌已过期，请找站长补办工牌</source>
        <translation>Badge expired — ask the keeper for a new one</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="32"/>
        <source>这张工牌已停用，请找站长补办工牌</source>
        <translation>This badge was withdrawn — ask the keeper for a new one</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="33"/>
        <source>您的登记已停用，请找站长核实</source>
        <translation>Your registration is inactive — please see the keeper</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="38"/>
        <source>师傅</source>
        <translation>Friend</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="39"/>
        <source>{surname}师傅</source>
        <translation>Master {surname}</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="40"/>
        <source>师傅，欢迎回家！</source>
        <translation>Welcome home!</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="41"/>
        <source>{who}，欢迎回家！</source>
        <translation>Welcome home, {who}!</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="42"/>
        <source>{who}，您已签到，好好歇一歇</source>
        <translation>{who}, you are checked in — take a rest</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="43"/>
        <source>{who}，辛苦了！本次休息 {minutes} 分钟</source>
        <translation>Thank you, {who}! You rested {minutes} min</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/messages.py" line="44"/>
        <source>{who}，您已签退，路上注意安全</source>
        <translation>{who}, you are checked out — stay safe</translation>
    </message>
</context>
<context>
    <name>ScanPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/scan.py" line="18"/>
        <source>签到 / 签退</source>
        <translation>Check in / out</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/scan.py" line="19"/>
        <source>请把工牌二维码对准摄像头</source>
        <translation>Hold your badge&apos;s QR code to the camera</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/scan.py" line="21"/>
        <source>第一次扫码签到，离开时再扫一次签退</source>
        <translation>Scan once to check in, again to check out</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/scan.py" line="23"/>
        <source>摄像头未连接，可使用扫码枪或“没带工牌”签到</source>
        <translation>No camera — use the scanner or “No badge”</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/scan.py" line="27"/>
        <source>没带工牌？点这里</source>
        <translation>No badge? Tap here</translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/search.py" line="30"/>
        <source>按姓名查找</source>
        <translation>Find by name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/search.py" line="48"/>
        <location filename="../../kiosk/ui/screens/search.py" line="49"/>
        <source>退格</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/search.py" line="51"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/search.py" line="107"/>
        <source>请输入姓名拼音首字母</source>
        <translation>Type pinyin initials</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/search.py" line="123"/>
        <source>例如：张建国 → 按 Z J G</source>
        <translation>E.g. 张建国 → type Z J G</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/search.py" line="125"/>
        <source>没有找到，请换个字母，或按工种签到</source>
        <translation>Not found — try other letters or check in by trade</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/search.py" line="127"/>
        <source>找到了？点您的名字签到</source>
        <translation>Tap your name to check in</translation>
    </message>
</context>
<context>
    <name>Services</name>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="34"/>
        <source>热水</source>
        <translation>Hot water</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="35"/>
        <source>微波炉</source>
        <translation>Microwave</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="36"/>
        <source>充电</source>
        <translation>Charging</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="37"/>
        <source>药箱</source>
        <translation>First aid</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="39"/>
        <source>空调</source>
        <translation>Air con</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="41"/>
        <source>卫生间</source>
        <translation>Toilet</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="43"/>
        <source>雨具</source>
        <translation>Umbrellas</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="45"/>
        <source>图书</source>
        <translation>Books</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="46"/>
        <source>Wi-Fi</source>
        <translation>Wi-Fi</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="31"/>
        <source>全天</source>
        <translation>All day</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="39"/>
        <source>夏冬季</source>
        <translation>Summer &amp; winter</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="43"/>
        <source>雨天借用</source>
        <translation>Lent when raining</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="50"/>
        <source>急救</source>
        <translation>Ambulance</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="51"/>
        <source>报警</source>
        <translation>Police</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="52"/>
        <source>火警</source>
        <translation>Fire</translation>
    </message>
</context>
<context>
    <name>ServicesPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="81"/>
        <source>驿站服务</source>
        <translation>Station services</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="151"/>
        <source>站长电话：{phone}</source>
        <translation>Keeper: {phone}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/services.py" line="153"/>
        <source>有事请找站长（站长电话张贴在门口）</source>
        <translation>Need help? The keeper&apos;s number is posted at the door</translation>
    </message>
</context>
<context>
    <name>ServicesPanel</name>
    <message>
        <location filename="../../kiosk/ui/screens/admin_services.py" line="30"/>
        <source>点选驿站提供的服务（欢迎页和“驿站服务”显示，最多 {n} 项）</source>
        <translation>Tap the services this station offers (shown on the welcome screen and under Station services, at most {n})</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_services.py" line="45"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="96"/>
        <source>管理 · 设置</source>
        <translation>Admin · Settings</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="99"/>
        <source>驿站名称</source>
        <translation>Station name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="104"/>
        <source>站长工作 ›</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="110"/>
        <source>站长电话</source>
        <translation>Keeper&apos;s phone</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="112"/>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="118"/>
        <source>修改</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="116"/>
        <source>驿站服务</source>
        <translation>Station services</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="123"/>
        <source>无人操作返回欢迎页</source>
        <translation>Back to welcome after</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="133"/>
        <source>摄像头</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="139"/>
        <source>{n} 号</source>
        <translation>No. {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="153"/>
        <source>显示摄像头画面</source>
        <translation>Show camera preview</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="154"/>
        <source>问候时显示全名</source>
        <translation>Greet by full name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="155"/>
        <source>语音播报问候</source>
        <translation>Speak greetings</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="168"/>
        <source>退出驿站终端程序</source>
        <translation>Quit the kiosk program</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="256"/>
        <source>存储空间不足：仅剩 {mb} MB。签到照常记录，日志已暂停，请联系技术人员清理。</source>
        <translation>Disk nearly full: only {mb} MB left. Check-ins are still recorded, the log is paused; please ask a technician to free space.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="269"/>
        <source>{n} 秒</source>
        <translation>{n} s</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="276"/>
        <source>开</source>
        <translation>On</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="276"/>
        <source>关</source>
        <translation>Off</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="278"/>
        <source>未设置</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="280"/>
        <source>{n} 项</source>
        <translation>{n} items</translation>
    </message>
</context>
<context>
    <name>StudyListPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="165"/>
        <source>讲习所</source>
        <translation>Study corner</translation>
    </message>
</context>
<context>
    <name>StudyPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="64"/>
        <source>讲习所</source>
        <translation>Study corner</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="73"/>
        <source>我的学习</source>
        <translation>My learning</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="88"/>
        <source>{category}
{n} 篇</source>
        <translation>{category}
{n} to read</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="92"/>
        <source>{name}，学完答题及格可以得积分</source>
        <translation>{name}, pass the quiz after reading to earn points</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/study.py" line="94"/>
        <source>先扫工牌再学习，可以记下学过什么、攒积分</source>
        <translation>Scan your badge first to keep track of what you read and earn points</translation>
    </message>
    <message>
        <source>讲习所即将开放</source>
        <translation type="vanished">The study corner opens soon</translation>
    </message>
    <message>
        <source>政策学习、安全知识、每日一题，敬请期待</source>
        <translation type="vanished">Policies, safety tips and a daily quiz — coming soon</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="24"/>
        <source>未连接</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="26"/>
        <source>同步已停用</source>
        <translation>Sync stopped</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="28"/>
        <source>离线（自 {time}）</source>
        <translation>Offline (since {time})</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="32"/>
        <source>{n} 条待上传</source>
        <translation>{n} to upload</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="34"/>
        <source>已同步</source>
        <translation>Synced</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="43"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="45"/>
        <source>上级平台</source>
        <translation>Hub</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="46"/>
        <source>未设置</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="48"/>
        <source>待上传</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="49"/>
        <source>已隔离</source>
        <translation>Quarantined</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="50"/>
        <source>上次成功</source>
        <translation>Last success</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="51"/>
        <source>上次错误</source>
        <translation>Last error</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="53"/>
        <source>时钟偏差</source>
        <translation>Clock offset</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sync_text.py" line="56"/>
        <source>{s} 秒</source>
        <translation>{s} s</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="61"/>
        <source>数据同步</source>
        <translation>Data sync</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="64"/>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/admin_settings.py" line="79"/>
        <source>{name}：{value}</source>
        <translation>{name}: {value}</translation>
    </message>
</context>
<context>
    <name>TitleBar</name>
    <message>
        <location filename="../../kiosk/ui/widgets.py" line="118"/>
        <source>‹ 返回</source>
        <translation>‹ Back</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets.py" line="124"/>
        <source>首页</source>
        <translation>Home</translation>
    </message>
</context>
<context>
    <name>Trade</name>
    <message>
        <location filename="../../kiosk/core/trades.py" line="26"/>
        <source>环卫</source>
        <translation>Sanitation</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/trades.py" line="27"/>
        <source>市政</source>
        <translation>Municipal</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/trades.py" line="28"/>
        <source>绿化</source>
        <translation>Greening</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/trades.py" line="29"/>
        <source>河道</source>
        <translation>Rivers</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/trades.py" line="30"/>
        <source>停车</source>
        <translation>Parking</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/trades.py" line="31"/>
        <source>执法</source>
        <translation>Enforcement</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/trades.py" line="32"/>
        <source>交警</source>
        <translation>Traffic police</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/trades.py" line="33"/>
        <source>快递外卖</source>
        <translation>Couriers</translation>
    </message>
    <message>
        <location filename="../../kiosk/core/trades.py" line="34"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>TradesPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/trades.py" line="35"/>
        <source>没带工牌</source>
        <translation>No badge</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/trades.py" line="36"/>
        <source>请点您的工种签到</source>
        <translation>Tap your trade to check in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/trades.py" line="37"/>
        <source>按姓名拼音首字母查找 ›</source>
        <translation>Find my name by pinyin initials ›</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>● 未连接</source>
        <translation type="vanished">● Offline</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/welcome.py" line="47"/>
        <source>未连接</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/welcome.py" line="50"/>
        <source>数据保存在本机，联网后自动上传</source>
        <translation>Data is kept here and uploaded when online</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/welcome.py" line="58"/>
        <source>欢迎回家</source>
        <translation>Welcome home</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/welcome.py" line="70"/>
        <source>摄像头</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/welcome.py" line="74"/>
        <source>请出示工牌二维码</source>
        <translation>Show your badge QR code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/welcome.py" line="75"/>
        <source>没带工牌？点屏幕任意处签到</source>
        <translation>No badge? Touch the screen to check in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/welcome.py" line="78"/>
        <source>正在启动，请稍候…</source>
        <translation>Starting, one moment please…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/welcome.py" line="92"/>
        <source>今日到站人次</source>
        <translation>Visits today</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/welcome.py" line="100"/>
        <source>近期活动：敬请关注</source>
        <translation>Coming up: stay tuned</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/welcome.py" line="177"/>
        <source>yyyy年M月d日 dddd</source>
        <translation>dddd, d MMMM yyyy</translation>
    </message>
</context>
</TS>
