package content

import (
	"context"
	"fmt"
	"time"

	"portal/internal/database"
	"portal/internal/jp"
)

// demoCardReaders is the catalog as the source documents give it (the 2023-12 手引き's
// product table, maker pages and product videos). Sizes are not in them and stay empty
// rather than guessed. The table lists Hi-CARA for both Panasonic and Canon; Canon's own
// page is …/edge/hicara, so Hi-CARA is kept for Canon and Panasonic's product name is left
// to its maker page.
var demoCardReaders = []CardReaderModel{
	{Maker: "富士通Japan株式会社", Product: "Caora", Features: "顔認証とICカード読み取り機能", Cards: "マイナカード、ICカード",
		MakerURL: "https://azmarche.com/item/FJM_PFU_CAORA.html",
		Notes:    "製品紹介動画：https://youtu.be/mR06B4p0Qt4"},
	{Maker: "パナソニック コネクト株式会社", Product: "顔認証付きカードリーダー", Features: "顔認証とICカード読み取り機能", Cards: "マイナカード、ICカード",
		MakerURL: "https://connect.panasonic.com/jp-ja/products-services_onlineinfo_support#purchase",
		Notes:    "製品名（型番）はメーカーのサイトでご確認ください。\n製品紹介：https://biz.panasonic.com/jp-ja/products-services_onlineinfo"},
	{Maker: "株式会社アルメックス", Product: "マイナタッチ", Features: "顔認証とICカード読み取り機能", Cards: "マイナカード、ICカード",
		MakerURL: "https://www.almex.jp/mc/mynatouch/request/list.html",
		Notes:    "製品紹介動画：https://youtu.be/esB_yEbF0MU"},
	{Maker: "キヤノンマーケティングジャパン株式会社", Product: "Hi-CARA", Features: "顔認証とICカード読み取り機能", Cards: "マイナカード、ICカード",
		MakerURL: "https://canon.jp/business/solution/ht-mobile/lineup/edge/hicara",
		Notes:    "製品紹介動画：https://www.youtube.com/watch?v=s8UbYrK1HMA"},
	{Maker: "アトラス情報サービス株式会社", Product: "EXC-9000", Features: "顔認証とICカード読み取り機能", Cards: "マイナカード、ICカード",
		MakerURL: "https://www.atlas-is.co.jp/exc-9000/",
		Notes:    "製品紹介動画：https://youtu.be/qlWlaGx9YwM"},
}

// day is 09:00 JST of a day: when the demo news items went out.
func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 9, 0, 0, 0, jp.Zone)
	return &t
}

// demoNews are お知らせ built from the source documents' own announcements.
var demoNews = []News{
	{PublishAt: day(2023, time.January, 17), Category: "重要なお知らせ",
		Title: "オンライン資格確認の原則義務化と経過措置の届出について",
		Body: "令和5年4月から、保険医療機関及び保険薬局におけるオンライン資格確認の導入が原則として義務付けられます（保険医療機関及び保険医療養担当規則等の改正）。\n\n" +
			"令和5年1月17日に療養担当規則等の一部を改正する省令が公布され、令和4年度末時点でやむを得ない事情がある保険医療機関・薬局は、届出を行うことにより、一定期間、導入の義務が猶予される経過措置が設けられました。\n\n" +
			"経過措置の対象となる保険医療機関・薬局は、遅くとも令和5年3月31日までに、あらかじめアカウント登録を行った上で、当サイトから事前届出を行ってください。"},
	{PublishAt: day(2023, time.February, 3), Category: "お知らせ",
		Title: "アカウント登録案内文書（ダイレクトメール）を発送しました",
		Body: "令和5年1月15日時点でアカウント登録を行っていない医療機関・薬局の皆様へ、厚生労働省と社会保険診療報酬支払基金の連名で「アカウント登録案内文書」を発送しました。\n\n" +
			"案内文書に記載の仮メールアドレス・仮パスワードでログインし、「アカウント情報編集」から貴医療機関・薬局のメールアドレスと任意のパスワードに変更してください。支払基金で把握している内容（開設者名等）は登録済です。\n\n" +
			"案内文書を紛失・破棄された場合は、オンライン資格確認等コールセンター（0800-080-4583）へご連絡ください。仮メールアドレスと仮パスワードを削除した後、「初めてご利用になる方（アカウント登録）」から登録できます。"},
	{PublishAt: day(2023, time.December, 26), Category: "お知らせ",
		Title: "新設の保険医療機関・保険薬局がオンライン資格確認を導入するための手続について",
		Body: "新設の保険医療機関及び保険薬局が診療開始月の月初からオンライン資格確認を導入できるよう、必要な手続が整備されました（令和5年12月26日付け厚生労働省事務連絡）。\n\n" +
			"令和6年4月以降に新規指定を受ける医療機関等は、地方厚生（支）局から受付番号の交付を受けた後、速やかに（指定の2か月前の15日までに）、受付番号を含む所要の情報を提出し、当サイトでアカウント登録などの手続を行ってください。\n\n" +
			"顔認証付きカードリーダーの調達やネットワークの準備には期間を要しますので、計画的な準備をお願いします。"},
	{PublishAt: day(2024, time.January, 10), Category: "お知らせ",
		Title: "顔認証付きカードリーダーの選定について",
		Body: "どのメーカーの顔認証付きカードリーダーであっても、既存システムとの接続は統一された仕様となります。レセコンとは別に資格確認端末を用意、使用する構成であれば、特定の顔認証付きカードリーダーでないと既存システムが動かないということはありません。\n\n" +
			"各メーカーでサイズが異なるため、窓口に置けるかどうかの検証が必要です。「顔認証付きカードリーダーカタログ」をご覧の上、お選びください。\n\n" +
			"顔認証付きカードリーダーの納期はメーカーの生産状況等によって異なるため、各メーカーにご確認ください。"},
	{PublishAt: day(2024, time.February, 1), Category: "重要なお知らせ",
		Title: "受付番号を用いたアカウント登録・利用申請の受付について",
		Body: "保険医療機関等として指定される前の医療機関・薬局は医療機関等コードを有していないため、その代替として地方厚生（支）局が受付番号を交付しています（令和6年2月より）。\n\n" +
			"受付番号は、当サイトへのアカウント登録、顔認証付きカードリーダーの申込、オンライン資格確認利用申請及び電子証明書発行申請に利用できます。\n\n" +
			"実施機関へ受付番号を提示した後、4営業日（目安）でアカウント登録が可能となります。"},
	{PublishAt: day(2024, time.March, 1), Category: "お知らせ",
		Title: "「オンライン資格確認の導入計画書」の提出について",
		Body: "令和6年3月から、保険医療機関等の指定申請書の添付書類として「オンライン資格確認の導入計画書」の提出が求められます。\n\n" +
			"指定の申請の際に併せて経過措置の届出を行った医療機関等は、この限りではありません。\n\n" +
			"導入に当たっては「ネットワーク整備を含むオンライン資格確認導入に向けた準備作業の手引き」も参考に、計画的な準備をお願いします。"},
}

// SeedDemo loads the demo catalog and news. It only adds what is absent (a catalog entry
// by maker and product, a news item by date and title), so it may run on every start and
// never undoes a supervisor's edits.
func SeedDemo(ctx context.Context, db database.DB) error {
	for i, m := range demoCardReaders {
		_, err := db.Exec(ctx, `INSERT INTO card_reader_models
				(maker, product, size, features, cards, notes, maker_url, sort_order, active)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true)
			ON CONFLICT ON CONSTRAINT card_reader_models_product_key DO NOTHING`,
			m.Maker, m.Product, m.Size, m.Features, m.Cards, m.Notes, m.MakerURL, (i+1)*10)
		if err != nil {
			return fmt.Errorf("content: seed card reader %s: %w", m.Product, err)
		}
	}
	for _, n := range demoNews {
		_, err := db.Exec(ctx, `INSERT INTO news (publish_at, category, title, body)
			SELECT $1::timestamptz, $2::text, $3::text, $4::text
			WHERE NOT EXISTS (SELECT 1 FROM news WHERE title = $3)`,
			n.PublishAt, n.Category, n.Title, n.Body)
		if err != nil {
			return fmt.Errorf("content: seed news %q: %w", n.Title, err)
		}
	}
	return nil
}
