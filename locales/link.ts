/** Linking more chats, link announcements and their undo (handlers/link.ts, src/domain/directory/links.ts). */
export const link = {
  vi: {
    help: '/lienket — lấy mã mới để liên kết thêm Telegram hoặc Zalo',
    code: '🔑 Mã liên kết mới của bạn: {code}\nMã chỉ liên kết được một cuộc trò chuyện, một lần, và hết hạn lúc {time}. Đừng đưa mã này cho ai.\nCách dùng:',
    howTelegramLink: '• Telegram: mở {link} rồi bấm Bắt đầu (Start).',
    howTelegram: '• Telegram: tìm bot của Sở GD&ĐT và gửi /start {code}',
    howZalo: '• Zalo: nhắn mã {code} cho bot của Sở GD&ĐT.',
    adminOnlyByAdmin:
      'Tài khoản có quyền quản trị hoặc có tài khoản bảng điều khiển chỉ liên kết được bằng mã do quản trị viên cấp trong vòng 24 giờ, nên /lienket không cấp mã cho bạn. Vui lòng nhờ một quản trị viên cấp mã mới.',
    notMe: 'Không phải tôi',
    announce:
      '🔔 Tài khoản của bạn vừa được liên kết thêm với một cuộc trò chuyện {channel} ({chat}) lúc {time}. Tin của Sở có thể được gửi tới đó.\nNếu không phải bạn, hãy chọn «Không phải tôi» để huỷ liên kết đó ngay.',
    replaced:
      '🔔 Cuộc trò chuyện này không còn được liên kết: tài khoản {channel} của bạn vừa được chuyển sang một cuộc trò chuyện khác ({chat}) lúc {time}. Nếu không phải bạn, hãy chọn «Không phải tôi» ở cuộc trò chuyện đã liên kết khác, hoặc báo ngay quản trị viên.',
    codeReused:
      '⚠️ Lúc {time}, một cuộc trò chuyện {channel} khác đã gửi mã mời mà bạn đã dùng. Mỗi mã chỉ liên kết được một lần nên yêu cầu đã bị từ chối; tài khoản của bạn không thay đổi.\nNếu đó là bạn và bạn muốn liên kết thêm {channel}, hãy gửi /lienket tại đây để nhận mã mới.',
    undone:
      'Đã huỷ liên kết {channel} vừa thêm ({chat}). Cuộc trò chuyện đó không còn nhận tin và phải có mã mới mới liên kết lại được. Nếu bạn nghi có người đã thấy mã của mình, hãy báo quản trị viên.',
    undoGone: 'Liên kết này đã được huỷ trước đó; không có gì thay đổi.',
    undoTypeWords:
      'Không có gì thay đổi. Nếu bạn muốn huỷ liên kết vừa được thêm vào tài khoản, hãy gõ: không phải tôi. Để xác nhận đã đọc một thông báo, hãy gõ: đã đọc.',
    undoRefused:
      'Chỉ cuộc trò chuyện đã liên kết từ trước của chính chủ tài khoản mới huỷ được liên kết này. Không có gì thay đổi.',
    revokedByOwner:
      'Cuộc trò chuyện này đã bị huỷ liên kết với danh bạ của Sở GD&ĐT: chủ tài khoản cho biết đó không phải họ. Bạn sẽ không nhận tin qua đây nữa. Nếu đúng là bạn, hãy xin mã mới (/lienket từ cuộc trò chuyện đã liên kết, hoặc nhờ quản trị viên).',
    unlinkedElsewhere: '🔔 Cuộc trò chuyện {channel} ({chat}) đã bị huỷ liên kết khỏi tài khoản của bạn và không còn nhận tin.',
    consoleSessionsEnded: 'Mọi phiên đăng nhập bảng điều khiển của bạn đã kết thúc; hãy đăng nhập lại nếu cần.',
    consoleTokensRevoked: '{count} mã API tạo từ khi cuộc trò chuyện đó được liên kết đã bị thu hồi; nếu cần, hãy tạo mã mới.',
    revokedByAdmin:
      'Quản trị viên đã huỷ liên kết cuộc trò chuyện này với danh bạ của Sở GD&ĐT. Bạn sẽ không nhận tin qua đây nữa. Để liên kết lại, vui lòng xin mã mới (/lienket từ một cuộc trò chuyện khác đã liên kết, hoặc nhờ quản trị viên).',
  },
  en: {
    help: '/link — get a new code to link Telegram or Zalo as well',
    code: '🔑 Your new link code: {code}\nIt links one chat, once, and expires at {time}. Do not give it to anyone.\nHow to use it:',
    howTelegramLink: '• Telegram: open {link} and press Start.',
    howTelegram: '• Telegram: find the Department\'s bot and send /start {code}',
    howZalo: '• Zalo: send the code {code} to the Department\'s bot.',
    adminOnlyByAdmin:
      'Accounts with the admin role or a console account can only be linked with a code an administrator issued within the last 24 hours, so /link does not issue one for you. Please ask another administrator for a new code.',
    notMe: 'Not me',
    announce:
      '🔔 Your account was just linked to another {channel} chat ({chat}) at {time}. Messages from the Department may be sent there.\nIf this was not you, choose “Not me” to undo that link at once.',
    replaced:
      '🔔 This chat is no longer linked: your {channel} account was moved to another chat ({chat}) at {time}. If this was not you, choose “Not me” in your other linked chat, or tell an administrator at once.',
    codeReused:
      '⚠️ At {time}, another {channel} chat sent the invite code you already used. A code links only once, so it was refused; nothing changed on your account.\nIf that was you and you want to link {channel} as well, send /link here for a new code.',
    undone:
      'The {channel} chat just added ({chat}) is unlinked. It no longer receives messages and needs a new code to link again. If you think someone saw your code, please tell an administrator.',
    undoGone: 'That link was already undone; nothing changed.',
    undoTypeWords: 'Nothing changed. To undo the link just added to your account, type: not me. To confirm you read a message, type: read.',
    undoRefused: 'Only the account owner\'s chat that was linked before can undo this link. Nothing changed.',
    revokedByOwner:
      'This chat has been unlinked from the Department of Education and Training directory: the account owner said it was not them. You will not receive messages here any more. If it was you, ask for a new code (/link from your linked chat, or an administrator).',
    unlinkedElsewhere: '🔔 The {channel} chat ({chat}) was unlinked from your account and no longer receives messages.',
    consoleSessionsEnded: 'Every console session of yours has ended; sign in again if you need to.',
    consoleTokensRevoked: '{count} API token(s) created since that chat was linked have been revoked; create a new one if you need it.',
    revokedByAdmin:
      'An administrator has unlinked this chat from the Department of Education and Training directory. You will not receive messages here any more. To link again, ask for a new code (/link from another linked chat, or an administrator).',
  },
}
